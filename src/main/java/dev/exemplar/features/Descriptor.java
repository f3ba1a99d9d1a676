package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

/**
 * Joins several global descriptors of a thumbnail into one unit vector, so that the dot product
 * of two descriptors is a weighted mean of the cosine similarities of their parts.
 * Each part is normalised on its own first: none dominates by scale or dimension.
 */
public final class Descriptor {
    /** Relative weights of the parts; a weight of 0 leaves a part out. */
    public record Weights(double colour, double layout, double gradients, double neutral, double texture) {
        public static final Weights DEFAULT = new Weights(1.0, 1.0, 1.0, 1.0, 1.0);
    }

    private Descriptor() { }

    public static float[] of(Thumbnail t, Weights w) {
        float[][] parts = {
                ColourHistogram.of(t),
                Layout.of(t),
                GradientHistogram.of(t.l(), t.size()),
                w.neutral() > 0 ? NeutralColourHistogram.of(t) : new float[0],
                w.texture() > 0 ? TextureHistogram.of(t.l(), t.size()) : new float[0],
        };
        double[] weights = {w.colour(), w.layout(), w.gradients(), w.neutral(), w.texture()};
        int d = 0;
        for (int p = 0; p < parts.length; p++) if (weights[p] > 0) d += parts[p].length;
        float[] out = new float[d];
        int at = 0;
        double total = 0;
        for (int p = 0; p < parts.length; p++) {
            if (weights[p] <= 0) continue;
            Vectors.normalise(parts[p]);
            float s = (float) Math.sqrt(weights[p]);
            for (float v : parts[p]) out[at++] = v * s;
            total += weights[p];
        }
        float inv = (float) (1 / Math.sqrt(total));
        for (int i = 0; i < out.length; i++) out[i] *= inv;
        return out;
    }
}
