package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

/**
 * The coarse spatial layout: the low band of a three-level Haar transform of each L*a*b*
 * plane, an 8 x 8 grid per channel. Lightness is centred on the image mean first, so a global
 * exposure change barely moves it.
 */
final class Layout {
    static final int LEVELS = 3;

    private Layout() { }

    static float[] of(Thumbnail t) {
        int s = t.size();
        float[] l = t.l().clone();
        double mean = 0;
        for (float v : l) mean += v;
        mean /= l.length;
        for (int i = 0; i < l.length; i++) l[i] -= (float) mean;
        float[][] bands = {low(l, s), low(t.a(), s), low(t.b(), s)};
        int cells = bands[0].length;
        float[] out = new float[cells * 3];
        for (int g = 0; g < cells; g++) {
            for (int c = 0; c < 3; c++) out[g * 3 + c] = bands[c][g];
        }
        return out;
    }

    private static float[] low(float[] plane, int s) {
        return Wavelet.lowBand(Wavelet.forward(plane, s, LEVELS, Wavelet.Family.HAAR), s, LEVELS);
    }
}
