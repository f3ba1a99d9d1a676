package dev.exemplar.analysis;

import dev.exemplar.features.Vectors;
import dev.exemplar.features.Wavelet;
import dev.exemplar.features.WaveletFeatures;
import dev.exemplar.image.Thumbnail;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rows Algorithm 1 clusters: the 3,072 Haar coefficients of each image's 32 x 32 L*a*b*
 * thumbnail ({@link WaveletFeatures#coefficients}), taken after two normalisations a copy should
 * not be told apart by. The thumbnail is shifted (bilinear, sub-pixel) so that the centroid of its
 * lightness contrast (|L* - median L*|) sits at the centre: a copy shifted by a pixel or cropped
 * slightly then has nearly the coefficients of its original, where without it a one-pixel shift of
 * a 28 px digit moves it as far as a different digit. And each row is scaled to unit length, so a
 * copy with its intensities scaled stays next to its original (Euclidean distance then tracks
 * cosine similarity, as the wavelet features of the summary do).
 */
final class WaveletRows {
    private WaveletRows() { }

    static float[][] of(List<Thumbnail> thumbnails) {
        float[][] x = new float[thumbnails.size()][];
        IntStream.range(0, x.length).parallel().forEach(i -> {
            float[] row = WaveletFeatures.coefficients(centred(thumbnails.get(i)), Wavelet.Family.HAAR);
            Vectors.normalise(row);
            x[i] = row;
        });
        return x;
    }

    /** The thumbnail shifted so the centroid of |L* - median L*| is at its centre; uncovered pixels take the median (a*, b*: 0). */
    static Thumbnail centred(Thumbnail t) {
        int s = t.size();
        float[] l = t.l(), sorted = l.clone();
        Arrays.sort(sorted);
        float background = sorted[sorted.length / 2];
        double sw = 0, sx = 0, sy = 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double w = Math.abs(l[y * s + x] - background);
                sw += w;
                sx += w * x;
                sy += w * y;
            }
        }
        if (sw == 0) return t; // a flat image has nothing to centre
        double dx = sx / sw - (s - 1) / 2.0, dy = sy / sw - (s - 1) / 2.0;
        return new Thumbnail(s, shifted(l, s, dx, dy, background), shifted(t.a(), s, dx, dy, 0), shifted(t.b(), s, dx, dy, 0));
    }

    /** out(x, y) = p(x + dx, y + dy), bilinear; outside the image, {@code fill}. */
    private static float[] shifted(float[] p, int s, double dx, double dy, float fill) {
        float[] out = new float[s * s];
        for (int y = 0; y < s; y++) {
            double sy = y + dy;
            int y0 = (int) Math.floor(sy);
            double fy = sy - y0;
            for (int x = 0; x < s; x++) {
                double sx = x + dx;
                int x0 = (int) Math.floor(sx);
                double fx = sx - x0;
                out[y * s + x] = (float) ((1 - fy) * ((1 - fx) * at(p, s, x0, y0, fill) + fx * at(p, s, x0 + 1, y0, fill))
                        + fy * ((1 - fx) * at(p, s, x0, y0 + 1, fill) + fx * at(p, s, x0 + 1, y0 + 1, fill)));
            }
        }
        return out;
    }

    private static float at(float[] p, int s, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= s || y >= s ? fill : p[y * s + x];
    }
}
