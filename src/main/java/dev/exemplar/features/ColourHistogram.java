package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

/**
 * Joint L*a*b* colour histogram over the whole image and its four quadrants (a coarse spatial
 * pyramid), with soft (bilinear) binning so that a small exposure change moves mass between
 * neighbouring bins instead of jumping. Square-rooted: the dot product is then the Hellinger
 * affinity, which weighs small colour areas fairly.
 */
final class ColourHistogram {
    static final int LB = 4, AB = 6, BB = 6, BINS = LB * AB * BB;
    private static final float A_MIN = -60, A_MAX = 60;
    /** Multiplications rather than divisions, per pixel. */
    private static final float L_SCALE = 1 / 100f, A_SCALE = 1 / (A_MAX - A_MIN);

    private ColourHistogram() { }

    static float[] of(Thumbnail t) {
        return of(t.l(), t.a(), t.b(), t.size());
    }

    static float[] of(float[] l, float[] a, float[] b, int s) {
        int half = s / 2;
        float[] out = new float[BINS * 5];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int i = y * s + x;
                int quadrant = 1 + (y < half ? 0 : 2) + (x < half ? 0 : 1);
                add(out, quadrant * BINS, l[i], a[i], b[i]);
            }
        }
        // the whole image is its four quadrants: adding each pixel once halves the work
        for (int k = 0; k < BINS; k++) out[k] = out[BINS + k] + out[2 * BINS + k] + out[3 * BINS + k] + out[4 * BINS + k];
        for (int r = 0; r < 5; r++) {
            double sum = 0;
            for (int k = 0; k < BINS; k++) sum += out[r * BINS + k];
            // the whole image counts as much as the four quadrants together
            double scale = (r == 0 ? 2.0 : 1.0) / Math.max(sum, 1e-9);
            for (int k = 0; k < BINS; k++) out[r * BINS + k] = (float) Math.sqrt(out[r * BINS + k] * scale);
        }
        return out;
    }

    /** Adds one pixel, spread over the 8 bins around it, to its quadrant's histogram. */
    private static void add(float[] h, int base, float l, float a, float b) {
        float fl = pos(l * L_SCALE, LB), fa = pos((a - A_MIN) * A_SCALE, AB), fb = pos((b - A_MIN) * A_SCALE, BB);
        int l0 = (int) fl, a0 = (int) fa, b0 = (int) fb;
        float wl = fl - l0, wa = fa - a0, wb = fb - b0;
        // a position on the last bin's centre has weight 0 beyond it: the clamped index takes nothing
        int l1 = Math.min(l0 + 1, LB - 1), a1 = Math.min(a0 + 1, AB - 1), b1 = Math.min(b0 + 1, BB - 1);
        float vl0 = 1 - wl, va0 = 1 - wa, vb0 = 1 - wb;
        float v00 = vl0 * va0, v01 = vl0 * wa, v10 = wl * va0, v11 = wl * wa;
        int c00 = (l0 * AB + a0) * BB, c01 = (l0 * AB + a1) * BB, c10 = (l1 * AB + a0) * BB, c11 = (l1 * AB + a1) * BB;
        h[base + c00 + b0] += v00 * vb0;
        h[base + c00 + b1] += v00 * wb;
        h[base + c01 + b0] += v01 * vb0;
        h[base + c01 + b1] += v01 * wb;
        h[base + c10 + b0] += v10 * vb0;
        h[base + c10 + b1] += v10 * wb;
        h[base + c11 + b0] += v11 * vb0;
        h[base + c11 + b1] += v11 * wb;
    }

    /** Position in bin units, centred on bin centres and clamped to the range. */
    private static float pos(float unit, int bins) {
        float p = unit * bins - 0.5f;
        return p <= 0 ? 0 : p >= bins - 1 ? bins - 1 : p;
    }
}
