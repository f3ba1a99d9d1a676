package dev.exemplar.features;

/**
 * Local binary patterns of the lightness plane (8 neighbours at radius 1, the 58 uniform
 * patterns plus one bin for the rest), pooled over the whole image and its quadrants, at two
 * scales. Invariant to any monotonic change of brightness, and pooled so a crop barely moves it.
 */
final class TextureHistogram {
    static final int BINS = 59;
    private static final int[] UNIFORM = new int[256];

    static {
        int next = 0;
        for (int p = 0; p < 256; p++) {
            int transitions = 0;
            for (int b = 0; b < 8; b++) {
                if (((p >> b) & 1) != ((p >> ((b + 1) & 7)) & 1)) transitions++;
            }
            UNIFORM[p] = transitions <= 2 ? next++ : -1;
        }
        for (int p = 0; p < 256; p++) if (UNIFORM[p] < 0) UNIFORM[p] = BINS - 1;
    }

    private TextureHistogram() { }

    static float[] of(float[] plane, int size) {
        float[] out = new float[BINS * 5 * 2];
        pool(plane, size, out, 0);
        float[] half = halve(plane, size);
        pool(half, size / 2, out, BINS * 5);
        for (int r = 0; r < 10; r++) {
            double s = 0;
            for (int k = 0; k < BINS; k++) s += out[r * BINS + k];
            double scale = (r % 5 == 0 ? 2.0 : 1.0) / Math.max(s, 1e-9);
            for (int k = 0; k < BINS; k++) out[r * BINS + k] = (float) Math.sqrt(out[r * BINS + k] * scale);
        }
        return out;
    }

    /** Counts the patterns of the inner pixels; bits 0 to 7 are the neighbours right, lower right, below, lower left, left, upper left, above, upper right. */
    private static void pool(float[] p, int s, float[] out, int base) {
        int half = s / 2;
        for (int y = 1; y < s - 1; y++) {
            int up = (y - 1) * s, mid = y * s, down = (y + 1) * s;
            int row = base + (y < half ? 1 : 3) * BINS;
            for (int x = 1; x < s - 1; x++) {
                float c = p[mid + x] + 0.5f;
                int code = (p[mid + x + 1] >= c ? 1 : 0)
                        | (p[down + x + 1] >= c ? 2 : 0)
                        | (p[down + x] >= c ? 4 : 0)
                        | (p[down + x - 1] >= c ? 8 : 0)
                        | (p[mid + x - 1] >= c ? 16 : 0)
                        | (p[up + x - 1] >= c ? 32 : 0)
                        | (p[up + x] >= c ? 64 : 0)
                        | (p[up + x + 1] >= c ? 128 : 0);
                int bin = UNIFORM[code];
                out[base + bin]++;
                out[row + (x < half ? 0 : BINS) + bin]++;
            }
        }
    }

    static float[] halve(float[] p, int s) {
        int h = s / 2;
        float[] out = new float[h * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < h; x++)
                out[y * h + x] = 0.25f * (p[2 * y * s + 2 * x] + p[2 * y * s + 2 * x + 1] + p[(2 * y + 1) * s + 2 * x] + p[(2 * y + 1) * s + 2 * x + 1]);
        return out;
    }
}
