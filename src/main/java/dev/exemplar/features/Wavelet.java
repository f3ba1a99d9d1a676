package dev.exemplar.features;

import java.util.Arrays;

/**
 * Multi-level 2-D discrete wavelet transform of a square image in the Mallat layout: after
 * {@code levels} levels the coarsest approximation sits in the top-left (side >> levels)^2 block and
 * the detail bands of each level surround it. Periodic extension keeps every level an orthogonal
 * change of basis, so the transform preserves energy (Euclidean distances between images are the
 * same before and after) and is exactly invertible up to rounding.
 */
public final class Wavelet {

    /** Orthonormal wavelet families. */
    public enum Family {
        /** Haar: two taps. */
        HAAR(new double[] {1 / Math.sqrt(2), 1 / Math.sqrt(2)}),
        /**
         * Daubechies with 4 filter taps and 2 vanishing moments: "D4" in Daubechies' own
         * numbering, "db2" in PyWavelets and MATLAB.
         */
        DB4(daubechies4());

        /** Low-pass analysis filter h; the high-pass one is its quadrature mirror g_k = (-1)^k h_{L-1-k}. */
        final double[] low;
        final double[] high;

        Family(double[] low) {
            this.low = low;
            this.high = new double[low.length];
            for (int k = 0; k < low.length; k++) {
                high[k] = ((k & 1) == 0 ? 1 : -1) * low[low.length - 1 - k];
            }
        }

        private static double[] daubechies4() {
            double s3 = Math.sqrt(3), d = 4 * Math.sqrt(2);
            return new double[] {(1 + s3) / d, (3 + s3) / d, (3 - s3) / d, (1 - s3) / d};
        }
    }

    private Wavelet() { }

    /**
     * Forward transform. {@code image} is row-major side x side and is not modified; side must be
     * divisible by 2^levels.
     */
    static float[] forward(float[] image, int side, int levels, Family f) {
        check(image, side, levels);
        float[] out = image.clone();
        double[] in = new double[side], lo = new double[side / 2], hi = new double[side / 2];
        for (int level = 0; level < levels; level++) {
            int n = side >> level;
            for (int r = 0; r < n; r++) {          // rows of the current top-left block
                int base = r * side;
                for (int i = 0; i < n; i++) in[i] = out[base + i];
                analyse(in, n, f, lo, hi);
                for (int i = 0; i < n / 2; i++) {
                    out[base + i] = (float) lo[i];
                    out[base + n / 2 + i] = (float) hi[i];
                }
            }
            for (int c = 0; c < n; c++) {          // then its columns
                for (int i = 0; i < n; i++) in[i] = out[i * side + c];
                analyse(in, n, f, lo, hi);
                for (int i = 0; i < n / 2; i++) {
                    out[i * side + c] = (float) lo[i];
                    out[(n / 2 + i) * side + c] = (float) hi[i];
                }
            }
        }
        return out;
    }

    /** Inverse of {@link #forward} with the same side, levels and family. */
    static float[] inverse(float[] coeffs, int side, int levels, Family f) {
        check(coeffs, side, levels);
        float[] out = coeffs.clone();
        double[] lo = new double[side / 2], hi = new double[side / 2], rec = new double[side];
        for (int level = levels - 1; level >= 0; level--) {
            int n = side >> level;
            for (int c = 0; c < n; c++) {          // undo in reverse order: columns first
                for (int i = 0; i < n / 2; i++) {
                    lo[i] = out[i * side + c];
                    hi[i] = out[(n / 2 + i) * side + c];
                }
                synthesise(lo, hi, n, f, rec);
                for (int i = 0; i < n; i++) out[i * side + c] = (float) rec[i];
            }
            for (int r = 0; r < n; r++) {
                int base = r * side;
                for (int i = 0; i < n / 2; i++) {
                    lo[i] = out[base + i];
                    hi[i] = out[base + n / 2 + i];
                }
                synthesise(lo, hi, n, f, rec);
                for (int i = 0; i < n; i++) out[base + i] = (float) rec[i];
            }
        }
        return out;
    }

    /** The coarsest approximation band: the top-left (side >> levels)^2 block, row-major. */
    static float[] lowBand(float[] coeffs, int side, int levels) {
        check(coeffs, side, levels);
        int n = side >> levels;
        float[] out = new float[n * n];
        for (int r = 0; r < n; r++) System.arraycopy(coeffs, r * side, out, r * n, n);
        return out;
    }

    /** One level on a periodic signal of even length n: lo[i] = sum_k h_k x[(2i+k) mod n]. */
    private static void analyse(double[] x, int n, Family f, double[] lo, double[] hi) {
        double[] h = f.low, g = f.high;
        for (int i = 0; i < n / 2; i++) {
            double a = 0, d = 0;
            for (int k = 0; k < h.length; k++) {
                double v = x[(2 * i + k) % n];
                a += h[k] * v;
                d += g[k] * v;
            }
            lo[i] = a;
            hi[i] = d;
        }
    }

    /** Transpose of {@link #analyse}; the analysis matrix is orthogonal, so this is its inverse. */
    private static void synthesise(double[] lo, double[] hi, int n, Family f, double[] x) {
        double[] h = f.low, g = f.high;
        Arrays.fill(x, 0, n, 0);
        for (int i = 0; i < n / 2; i++) {
            for (int k = 0; k < h.length; k++) {
                x[(2 * i + k) % n] += h[k] * lo[i] + g[k] * hi[i];
            }
        }
    }

    private static void check(float[] data, int side, int levels) {
        if (levels < 0 || side <= 0 || (levels > 0 && side % (1 << levels) != 0)) {
            throw new IllegalArgumentException("side " + side + " is not divisible by 2^" + levels);
        }
        if (data.length != side * side) {
            throw new IllegalArgumentException("expected " + side * side + " values, got " + data.length);
        }
    }
}
