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

    private ColourHistogram() { }

    static float[] of(Thumbnail t) {
        int s = t.size(), half = s / 2;
        float[] out = new float[BINS * 5];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int i = y * s + x;
                int quadrant = 1 + (y < half ? 0 : 2) + (x < half ? 0 : 1);
                add(out, 0, t.l()[i], t.a()[i], t.b()[i]);
                add(out, quadrant * BINS, t.l()[i], t.a()[i], t.b()[i]);
            }
        }
        for (int r = 0; r < 5; r++) {
            double sum = 0;
            for (int k = 0; k < BINS; k++) sum += out[r * BINS + k];
            // the whole image counts as much as the four quadrants together
            double scale = (r == 0 ? 2.0 : 1.0) / Math.max(sum, 1e-9);
            for (int k = 0; k < BINS; k++) out[r * BINS + k] = (float) Math.sqrt(out[r * BINS + k] * scale);
        }
        return out;
    }

    private static void add(float[] h, int base, float l, float a, float b) {
        float fl = pos(l / 100f, LB), fa = pos((a - A_MIN) / (A_MAX - A_MIN), AB), fb = pos((b - A_MIN) / (A_MAX - A_MIN), BB);
        int l0 = (int) fl, a0 = (int) fa, b0 = (int) fb;
        float wl = fl - l0, wa = fa - a0, wb = fb - b0;
        for (int dl = 0; dl < 2; dl++) {
            int li = Math.min(l0 + dl, LB - 1);
            float vl = dl == 0 ? 1 - wl : wl;
            for (int da = 0; da < 2; da++) {
                int ai = Math.min(a0 + da, AB - 1);
                float va = vl * (da == 0 ? 1 - wa : wa);
                for (int db = 0; db < 2; db++) {
                    int bi = Math.min(b0 + db, BB - 1);
                    h[base + (li * AB + ai) * BB + bi] += va * (db == 0 ? 1 - wb : wb);
                }
            }
        }
    }

    /** Position in bin units, centred on bin centres and clamped to the range. */
    private static float pos(float unit, int bins) {
        float p = unit * bins - 0.5f;
        return Math.max(0, Math.min(bins - 1, p));
    }
}
