package dev.exemplar.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API; loaded only where the module is present. The tile keeps a
 * block of 4 rows by 2 vectors of columns in registers while it runs over the d values, so each
 * value of bt loaded serves four multiply-adds and nothing is stored until the block is done.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() { }

    static float dot(float[] a, float[] b) {
        int d = a.length, t = 0;
        float s = 0;
        if (d >= 2 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (; t + 2 * L <= d; t += 2 * L) {
                s0 = FloatVector.fromArray(S, a, t).fma(FloatVector.fromArray(S, b, t), s0);
                s1 = FloatVector.fromArray(S, a, t + L).fma(FloatVector.fromArray(S, b, t + L), s1);
            }
            s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; t < d; t++) s += a[t] * b[t];
        return s;
    }

    static int firstAtLeast(float[] s, int from, int to, float threshold) {
        int t = from;
        for (; t + L <= to; t += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, s, t).compare(VectorOperators.GE, threshold);
            if (m.anyTrue()) return t + m.firstTrue();
        }
        for (; t < to; t++) if (s[t] >= threshold) return t;
        return to;
    }

    static void tile(float[] a, int off, int rows, int d, float[] bt, int width, float[] out) {
        for (int i = 0; i < rows; i += 4) {
            int a0 = off + i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
            for (int j = 0; j < width; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int t = 0, b = j; t < d; t++, b += width) {
                    FloatVector b0 = FloatVector.fromArray(S, bt, b), b1 = FloatVector.fromArray(S, bt, b + L);
                    FloatVector x = FloatVector.broadcast(S, a[a0 + t]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(S, a[a1 + t]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(S, a[a2 + t]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(S, a[a3 + t]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int o = i * width + j;
                c00.intoArray(out, o);
                c01.intoArray(out, o + L);
                c10.intoArray(out, o + width);
                c11.intoArray(out, o + width + L);
                c20.intoArray(out, o + 2 * width);
                c21.intoArray(out, o + 2 * width + L);
                c30.intoArray(out, o + 3 * width);
                c31.intoArray(out, o + 3 * width + L);
            }
        }
    }

    /**
     * {@link Kernels#nearest} a vector of columns at a time, with blends in place of the branches; the stores are
     * whole vectors at offsets the padding keeps in bounds, so none takes a masked path.
     */
    static void nearest(float[] out, int o, int width, float rowNorm, int row, float[] colNorms,
                        float[] best, float[] second, float[] index) {
        FloatVector r = FloatVector.broadcast(S, (float) row);
        for (int j = 0; j < width; j += L) {
            FloatVector d = FloatVector.fromArray(S, out, o + j).mul(-2f).add(FloatVector.fromArray(S, colNorms, j)).add(rowNorm);
            FloatVector b = FloatVector.fromArray(S, best, j), s = FloatVector.fromArray(S, second, j);
            VectorMask<Float> closer = d.compare(VectorOperators.LT, b);
            s.min(d).blend(b, closer).intoArray(second, j);
            b.blend(d, closer).intoArray(best, j);
            FloatVector.fromArray(S, index, j).blend(r, closer).intoArray(index, j);
        }
    }
}
