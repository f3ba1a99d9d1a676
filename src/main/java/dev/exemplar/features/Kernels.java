package dev.exemplar.features;

import java.util.Arrays;

/**
 * The engine's arithmetic kernels: the one float dot product every similarity uses, and a tile of dot
 * products of many rows with many rows; beside them a dot product summed in double on float vectors
 * and one on double vectors, for the few callers that need the accuracy. Both run on the JDK's Vector API when the incubating
 * module {@code jdk.incubator.vector} is present (the {@code exemplar} launcher, the container
 * image and the tests add it), and on plain loops otherwise, with the same results up to rounding.
 *
 * <p>On this machine's AVX-512 cores the tile ran at 45 to 55 billion multiply-adds a second per
 * core against 3 to 4 for the fastest plain loop the JIT vectorises ({@code g[j] += a0 x0[j] + ...}),
 * and a 256-value dot product took 21 ns against 87 ns: similarity search is these kernels.
 */
public final class Kernels {
    /** Tiles are computed on columns padded to this multiple, so the vector loops have no tails. */
    public static final int PAD = 32;
    /** And on rows padded to this multiple. */
    static final int ROW_PAD = 4;
    /** Set {@code -Dexemplar.vector=false} to use the plain loops even where the module is present. */
    public static final boolean VECTOR = vectorAvailable();

    private Kernels() { }

    private static boolean vectorAvailable() {
        if (!Boolean.parseBoolean(System.getProperty("exemplar.vector", "true"))) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
        try {
            return VectorKernels.dot(new float[] {1, 2}, new float[] {3, 4}) == 11f;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    public static int padColumns(int n) {
        return (n + PAD - 1) / PAD * PAD;
    }

    public static int padRows(int n) {
        return (n + ROW_PAD - 1) / ROW_PAD * ROW_PAD;
    }

    /** The dot product of two vectors of equal length. */
    public static float dot(float[] a, float[] b) {
        return VECTOR ? VectorKernels.dot(a, b) : scalarDot(a, b);
    }

    /**
     * The dot product with float products summed in double, for callers whose thresholds sit closer together than
     * float rounding (the near-duplicate cosine, unit lengths); summed in index order, so its results do not depend
     * on the Vector API.
     */
    public static double dotInDouble(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** The dot product of two double vectors of equal length, summed in index order (the numeric solvers' kernel). */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** The first index in [from, to) where s holds at least the threshold, or to. */
    public static int firstAtLeast(float[] s, int from, int to, float threshold) {
        if (VECTOR) return VectorKernels.firstAtLeast(s, from, to, threshold);
        for (int t = from; t < to; t++) if (s[t] >= threshold) return t;
        return to;
    }

    /** Four accumulators: the JIT neither reorders nor vectorises a float sum, so split it for throughput. */
    static float scalarDot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int d = a.length, t = 0;
        for (; t + 3 < d; t += 4) {
            s0 += a[t] * b[t];
            s1 += a[t + 1] * b[t + 1];
            s2 += a[t + 2] * b[t + 2];
            s3 += a[t + 3] * b[t + 3];
        }
        for (; t < d; t++) s0 += a[t] * b[t];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * out[i * width + j] = sum over t of a[off + i * d + t] * bt[t * width + j], for i &lt; rows and j &lt; width:
     * the dot products of {@code rows} rows of a from offset off (row-major, d values each) with the {@code width}
     * columns of bt (d rows of width values, the other side transposed). rows must be a multiple of
     * {@link #ROW_PAD} and width of {@link #PAD}; padding rows and columns hold zeros.
     */
    public static void tile(float[] a, int off, int rows, int d, float[] bt, int width, float[] out) {
        if (VECTOR) VectorKernels.tile(a, off, rows, d, bt, width, out);
        else scalarTile(a, off, rows, d, bt, width, out);
    }

    /**
     * One row of a tile of dot products (out[o..o + width), as {@link #tile} leaves it) folded into the running nearest
     * and second-nearest row of each column: with d = rowNorm + colNorms[j] - 2 out[o + j], the squared distance of
     * the row to column j, a d below best[j] moves best[j] to second[j] and becomes best[j], with index[j] = row;
     * otherwise second[j] becomes min(second[j], d). width must be a multiple of {@link #PAD}.
     */
    static void nearest(float[] out, int o, int width, float rowNorm, int row, float[] colNorms,
                               float[] best, float[] second, float[] index) {
        if (VECTOR) VectorKernels.nearest(out, o, width, rowNorm, row, colNorms, best, second, index);
        else scalarNearest(out, o, width, rowNorm, row, colNorms, best, second, index);
    }

    static void scalarNearest(float[] out, int o, int width, float rowNorm, int row, float[] colNorms,
                              float[] best, float[] second, float[] index) {
        for (int j = 0; j < width; j++) {
            float d = rowNorm + colNorms[j] - 2 * out[o + j];
            if (d < best[j]) {
                second[j] = best[j];
                best[j] = d;
                index[j] = row;
            } else if (d < second[j]) {
                second[j] = d;
            }
        }
    }

    /** The plain form: each row of out gets four rows of bt per pass, a loop shape the JIT vectorises. */
    static void scalarTile(float[] a, int off, int rows, int d, float[] bt, int width, float[] out) {
        for (int i = 0; i < rows; i++) {
            int o = i * width, ai = off + i * d;
            Arrays.fill(out, o, o + width, 0f);
            int t = 0;
            for (; t + 3 < d; t += 4) {
                addFour(out, o, bt, t * width, width, a[ai + t], a[ai + t + 1], a[ai + t + 2], a[ai + t + 3]);
            }
            for (; t < d; t++) {
                float v = a[ai + t];
                int b = t * width;
                for (int j = 0; j < width; j++) out[o + j] += v * bt[b + j];
            }
        }
    }

    private static void addFour(float[] g, int o, float[] bt, int b0, int width, float a0, float a1, float a2, float a3) {
        int b1 = b0 + width, b2 = b1 + width, b3 = b2 + width;
        for (int j = 0; j < width; j++) g[o + j] += (a0 * bt[b0 + j] + a1 * bt[b1 + j]) + (a2 * bt[b2 + j] + a3 * bt[b3 + j]);
    }
}
