package dev.exemplar.features;

import java.util.Random;

/** Random vectors and exact dot products for the tests of the similarity kernels. */
public final class RandomVectors {
    private RandomVectors() { }

    public static float[] gaussian(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    /** The dot product in double of d values of a from ao and of b from bo, every stride-th. */
    public static double exactDot(float[] a, int ao, float[] b, int bo, int stride, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) s += (double) a[ao + t] * b[bo + t * stride];
        return s;
    }
}
