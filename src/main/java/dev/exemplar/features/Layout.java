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
        float[] l = t.l();
        double mean = 0;
        for (float v : l) mean += v;
        mean /= l.length;
        float[][] bands = {low(l, s, (float) mean), low(t.a(), s, 0), low(t.b(), s, 0)};
        int cells = bands[0].length;
        float[] out = new float[cells * 3];
        for (int g = 0; g < cells; g++) {
            for (int c = 0; c < 3; c++) out[g * 3 + c] = bands[c][g];
        }
        return out;
    }

    /**
     * The low band of an orthonormal Haar transform of {@code plane - centre}: each level halves the sum of a
     * 2 x 2 block, so after three it is the sum of an 8 x 8 block over 8, computed here in one pass.
     */
    static float[] low(float[] plane, int s, float centre) {
        int block = 1 << LEVELS;
        if (s % block != 0) throw new IllegalArgumentException("side " + s + " is not divisible by " + block);
        int n = s / block;
        double[] sums = new double[n * n];
        for (int y = 0; y < s; y++) {
            int row = y / block * n;
            for (int x = 0; x < s; x++) sums[row + x / block] += plane[y * s + x] - centre;
        }
        float[] out = new float[n * n];
        for (int i = 0; i < out.length; i++) out[i] = (float) (sums[i] / block);
        return out;
    }
}
