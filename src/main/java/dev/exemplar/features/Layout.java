package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

/**
 * The coarse spatial layout: an 8 x 8 grid of mean L*a*b* values (the low band of a
 * wavelet transform). Lightness is centred on the image mean, so a global exposure change
 * barely moves it.
 */
final class Layout {
    static final int GRID = 8;

    private Layout() { }

    static float[] of(Thumbnail t) {
        int s = t.size(), cell = s / GRID;
        float[] out = new float[GRID * GRID * 3];
        double mean = 0;
        for (float v : t.l()) mean += v;
        mean /= t.l().length;
        float norm = 1f / (cell * cell);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int g = Math.min(y / cell, GRID - 1) * GRID + Math.min(x / cell, GRID - 1), i = y * s + x;
                out[g * 3] += (float) (t.l()[i] - mean) * norm;
                out[g * 3 + 1] += t.a()[i] * norm;
                out[g * 3 + 2] += t.b()[i] * norm;
            }
        }
        return out;
    }
}
