package dev.exemplar.analysis;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * k-means (Lloyd) with k-means++ seeding. A plain, correct version: every iteration compares every
 * row with every centre.
 */
public final class KMeans {
    /** Cluster of every row, the centres, and per cluster the row nearest its centre (-1 for an empty cluster). */
    public record Result(int[] assignment, float[][] centres, int[] representative, int iterations) { }

    private static final int MAX_ITERATIONS = 50;

    private KMeans() { }

    public static Result run(float[][] x, int k, long seed) {
        int n = x.length;
        if (k < 1 || k > n) throw new IllegalArgumentException("k must be between 1 and " + n + ": " + k);
        int d = x[0].length;
        Random rnd = new Random(seed);
        float[][] c = new float[k][];
        double[] near = new double[n];
        c[0] = x[rnd.nextInt(n)].clone();
        for (int i = 0; i < n; i++) near[i] = dist(x[i], c[0]);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : near) total += v;
            int pick = rnd.nextInt(n);
            if (total > 0) {
                double r = rnd.nextDouble() * total;
                for (int i = 0; i < n; i++) if ((r -= near[i]) <= 0) { pick = i; break; }
            }
            c[j] = x[pick].clone();
            for (int i = 0; i < n; i++) near[i] = Math.min(near[i], dist(x[i], c[j]));
        }
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        int it = 0;
        for (; it < MAX_ITERATIONS; it++) {
            float[][] centres = c;
            int[] next = IntStream.range(0, n).parallel().map(i -> nearest(x[i], centres)).toArray();
            boolean same = java.util.Arrays.equals(next, a);
            a = next;
            if (same) break;
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[a[i]]++;
                for (int t = 0; t < d; t++) sum[a[i]][t] += x[i][t];
            }
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) continue; // an empty cluster keeps its centre
                for (int t = 0; t < d; t++) c[j][t] = (float) (sum[j][t] / count[j]);
            }
        }
        int[] rep = new int[k];
        double[] best = new double[k];
        java.util.Arrays.fill(rep, -1);
        for (int i = 0; i < n; i++) {
            double v = dist(x[i], c[a[i]]);
            if (rep[a[i]] < 0 || v < best[a[i]]) { rep[a[i]] = i; best[a[i]] = v; }
        }
        return new Result(a, c, rep, it);
    }

    private static int nearest(float[] v, float[][] c) {
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            double dd = dist(v, c[j]);
            if (dd < bd) { bd = dd; best = j; }
        }
        return best;
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
