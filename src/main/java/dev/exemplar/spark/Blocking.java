package dev.exemplar.spark;

import dev.exemplar.analysis.KMeans;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where items go: the partition of their nearest centroid, so that similar items, a scene's photographs or a
 * drawing's copies, are summarised together. The centroids are k-means centres of a sample of the vectors, chosen on
 * the driver and broadcast; each item is compared with them only (an inverted file of P lists).
 *
 * <p>A partition is capped at {@link #CAP} times the mean share of the sample: a fuller centroid spills the items
 * nearly as close to their second centroid (the smallest margin first) there, so one large cluster does not fall on one
 * executor. An item also goes to its other centroid, as a probe only, when that one is nearly as close
 * ({@link #PROBE}), or when it was spilled: pairs across the boundary are then checked where both are.
 */
record Blocking(float[][] centroids, double[] spillBelow) implements Serializable {
    static final double CAP = 1.25;
    /** A second centroid at most this much farther than the first is probed. */
    static final double PROBE = 1.15;
    static final int ITERATIONS = 50;
    static final long SEED = 1;

    /** An item's own partition, and the one it is a probe in (-1 for none). */
    record Placement(int home, int probe) { }

    /** P centroids of the sample and each one's spill margin, from the sample's own placement. */
    static Blocking of(List<float[]> sample, int partitions) {
        int p = Math.max(1, Math.min(partitions, sample.size()));
        if (p < 2) return new Blocking(sample.isEmpty() ? new float[0][] : new float[][] {sample.get(0)}, new double[] {-1});
        float[][] centroids = KMeans.centres(sample.toArray(float[][]::new), p, SEED, ITERATIONS);
        List<List<Double>> margins = new ArrayList<>();
        for (int c = 0; c < p; c++) margins.add(new ArrayList<>());
        for (float[] v : sample) {
            double[] d = nearestTwo(centroids, v);
            margins.get((int) d[0]).add(d[3] - d[1]);
        }
        int cap = (int) Math.ceil(CAP * sample.size() / p);
        double[] spillBelow = new double[p];
        for (int c = 0; c < p; c++) {
            double[] m = margins.get(c).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            spillBelow[c] = m.length <= cap ? -1 : m[m.length - cap - 1];
        }
        return new Blocking(centroids, spillBelow);
    }

    Placement place(float[] v) {
        if (centroids.length < 2) return new Placement(0, -1);
        double[] d = nearestTwo(centroids, v);
        int first = (int) d[0], second = (int) d[2];
        if (d[3] - d[1] <= spillBelow[first]) return new Placement(second, first);
        return new Placement(first, d[3] <= PROBE * d[1] ? second : -1);
    }

    /** The vector's nearest centroids, the nearest first: two, or one when there is one. */
    int[] nearest(float[] v) {
        if (centroids.length < 2) return new int[] {0};
        double[] d = nearestTwo(centroids, v);
        return new int[] {(int) d[0], (int) d[2]};
    }

    /** {nearest, its distance, second nearest, its distance}. */
    private static double[] nearestTwo(float[][] centroids, float[] v) {
        double[] best = {-1, Double.POSITIVE_INFINITY, -1, Double.POSITIVE_INFINITY};
        for (int c = 0; c < centroids.length; c++) {
            double d = Math.sqrt(distance2(centroids[c], v));
            if (d < best[1]) {
                best[2] = best[0];
                best[3] = best[1];
                best[0] = c;
                best[1] = d;
            } else if (d < best[3]) {
                best[2] = c;
                best[3] = d;
            }
        }
        return best;
    }

    private static double distance2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = (double) a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    @Override
    public String toString() {
        return centroids.length + " centroids, spill margins " + Arrays.toString(spillBelow);
    }
}
