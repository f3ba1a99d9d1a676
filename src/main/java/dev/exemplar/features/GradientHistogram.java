package dev.exemplar.features;

/**
 * Histogram of oriented gradients of the lightness plane: 9 unsigned orientations per cell of
 * 8 x 8 pixels, normalised over blocks of 2 x 2 cells (L2, clipped at 0.2, renormalised).
 * Shape and texture without colour: what tells drawings and digits apart.
 */
final class GradientHistogram {
    static final int CELL = 8, BINS = 9;

    private GradientHistogram() { }

    static float[] of(float[] plane, int size) {
        int cells = size / CELL;
        float[] hist = new float[cells * cells * BINS];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float gx = plane[y * size + Math.min(x + 1, size - 1)] - plane[y * size + Math.max(x - 1, 0)];
                float gy = plane[Math.min(y + 1, size - 1) * size + x] - plane[Math.max(y - 1, 0) * size + x];
                float mag = (float) Math.sqrt(gx * gx + gy * gy);
                if (mag == 0) continue;
                double angle = Math.atan2(gy, gx);
                if (angle < 0) angle += Math.PI;
                float pos = (float) (angle / Math.PI * BINS) - 0.5f;
                int b0 = (int) Math.floor(pos);
                float w1 = pos - b0;
                int cell = (Math.min(y / CELL, cells - 1) * cells + Math.min(x / CELL, cells - 1)) * BINS;
                hist[cell + Math.floorMod(b0, BINS)] += mag * (1 - w1);
                hist[cell + Math.floorMod(b0 + 1, BINS)] += mag * w1;
            }
        }
        int blocks = cells - 1;
        float[] out = new float[blocks * blocks * 4 * BINS];
        int at = 0;
        for (int by = 0; by < blocks; by++) {
            for (int bx = 0; bx < blocks; bx++) {
                int start = at;
                for (int cy = 0; cy < 2; cy++)
                    for (int cx = 0; cx < 2; cx++)
                        System.arraycopy(hist, ((by + cy) * cells + bx + cx) * BINS, out, at + (cy * 2 + cx) * BINS, BINS);
                at += 4 * BINS;
                normaliseClipped(out, start, at);
            }
        }
        return out;
    }

    private static void normaliseClipped(float[] v, int from, int to) {
        for (int pass = 0; pass < 2; pass++) {
            double s = 1e-6;
            for (int i = from; i < to; i++) s += v[i] * v[i];
            float inv = (float) (1 / Math.sqrt(s));
            for (int i = from; i < to; i++) v[i] = Math.min(v[i] * inv, pass == 0 ? 0.2f : 1f);
        }
    }
}
