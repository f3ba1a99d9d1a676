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
            int row = y * size, up = Math.max(y - 1, 0) * size, down = Math.min(y + 1, size - 1) * size;
            int cellRow = Math.min(y / CELL, cells - 1) * cells;
            for (int x = 0; x < size; x++) {
                float gx = plane[row + Math.min(x + 1, size - 1)] - plane[row + Math.max(x - 1, 0)];
                float gy = plane[down + x] - plane[up + x];
                float mag = (float) Math.sqrt(gx * gx + gy * gy);
                if (mag == 0) continue;
                float pos = (float) (orientation(gx, gy) * (BINS / Math.PI)) - 0.5f; // in [-0.5, 8.5]
                int b0 = pos < 0 ? -1 : (int) pos;
                float w1 = pos - b0;
                int cell = (cellRow + Math.min(x / CELL, cells - 1)) * BINS;
                // the bins are a circle: below the first is the last
                hist[cell + (b0 < 0 ? BINS - 1 : b0)] += mag * (1 - w1);
                hist[cell + (b0 + 1 == BINS ? 0 : b0 + 1)] += mag * w1;
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

    /**
     * The unsigned orientation of a gradient, its angle modulo pi in [0, pi], to 1e-9 radians (0 and pi put the same
     * weights in the same two bins). Math.atan2, a native call in Java 17, took two thirds of this descriptor's
     * time, and so did branches on the signs, which a photograph's gradients make unpredictable: the octant is
     * chosen by arithmetic on sign bits instead.
     */
    static double orientation(double gx, double gy) {
        double ax = Math.abs(gx), ay = Math.abs(gy);
        double a = atan(Math.min(ax, ay) / Math.max(ax, ay)); // the angle of (ax, ay), or of (ay, ax)
        a += signBit(ax - ay) * (Math.PI / 2 - 2 * a);       // of (ax, ay), in [0, pi / 2]
        double product = gx * gy;                            // negative: in the second quadrant, modulo pi
        return Math.copySign(a, product) + signBit(product) * Math.PI;
    }

    /** 1 for a negative number (-0 too), 0 otherwise. */
    private static double signBit(double v) {
        return Double.doubleToRawLongBits(v) >>> 63;
    }

    /** Arctangent on [0, 1]: z P(z^2) with P of degree 9 fitted to minimise the largest error, 9e-10. */
    private static double atan(double z) {
        double u = z * z;
        double p = -0.0015093017047114465;
        p = p * u + 0.0095673346866818748;
        p = p * u - 0.028490768245714705;
        p = p * u + 0.055028096873648444;
        p = p * u - 0.082137617830272958;
        p = p * u + 0.10878010142645506;
        p = p * u - 0.14247222783608299;
        p = p * u + 0.19996436836429365;
        p = p * u - 0.33333180379179855;
        p = p * u + 0.99999998056101147;
        return z * p;
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
