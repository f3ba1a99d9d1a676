package dev.exemplar.analysis;

import dev.exemplar.features.Vectors;
import dev.exemplar.summary.NeighbourGraph;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * n_c for Algorithm 1 when none is given: one cluster per distinct image, counting a group of
 * near-identical images once. Two images are near-identical when their distance is below
 * {@value #NEAR} times the median distance of an image to its nearest other image: on the
 * digits' centred, unit wavelet rows every copy lies within 0.19 of that median of its original
 * and every other image beyond 0.32, so the count does not hang on the exact factor. The groups
 * are the connected components of such pairs among each image's {@value #NEIGHBOURS} nearest.
 * Neighbours are searched on a seeded random projection of the rows to {@value #DIMENSIONS}
 * dimensions (distances kept to about 10%), exactly up to 20,000 images and approximately above
 * (the summary's neighbour search), so the count costs far less than the clustering it sizes.
 */
public final class DistinctImages {
    static final double NEAR = 0.25;
    static final int NEIGHBOURS = 10, DIMENSIONS = 128;

    private DistinctImages() { }

    /** @param unitRows rows of unit length */
    public static int count(float[][] unitRows, long seed) {
        return unitRows.length < 2 ? unitRows.length : count(neighbours(unitRows, seed));
    }

    /** Each row's {@value #NEIGHBOURS} nearest others, by cosine of the projected rows. */
    public static NeighbourGraph neighbours(float[][] unitRows, long seed) {
        return NeighbourGraph.build(project(unitRows, seed), NEIGHBOURS);
    }

    /** The count from a neighbour graph of the rows (see {@link #neighbours}). */
    public static int count(NeighbourGraph g) {
        int n = g.size();
        if (n < 2) return n;
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) nearest[i] = distance(g.similarities(i)[0]);
        double[] sorted = nearest.clone();
        Arrays.sort(sorted);
        double near = NEAR * sorted[n / 2];
        UnionFind sets = new UnionFind(n);
        for (int i = 0; i < n; i++) {
            int[] nb = g.neighbours(i);
            float[] s = g.similarities(i);
            for (int t = 0; t < nb.length && distance(s[t]) <= near; t++) sets.union(i, nb[t]);
        }
        return (int) IntStream.range(0, n).filter(i -> sets.find(i) == i).count();
    }

    /** Euclidean distance of two unit vectors from their cosine. */
    private static double distance(float cosine) {
        return Math.sqrt(Math.max(0, 2 - 2 * cosine));
    }

    /** Rows times a seeded Gaussian matrix, then to unit length (Johnson-Lindenstrauss). */
    static float[][] project(float[][] x, long seed) {
        int d = x[0].length, k = Math.min(DIMENSIONS, d);
        if (k == d) return x;
        float[][] r = new float[d][k];
        Random rnd = new Random(seed);
        for (float[] row : r) for (int j = 0; j < k; j++) row[j] = (float) rnd.nextGaussian();
        float[][] out = new float[x.length][];
        IntStream.range(0, x.length).parallel().forEach(i -> {
            float[] v = new float[k];
            float[] xi = x[i];
            for (int t = 0; t < d; t++) {
                float a = xi[t];
                if (a == 0) continue;
                float[] rt = r[t];
                for (int j = 0; j < k; j++) v[j] += a * rt[j];
            }
            Vectors.normalise(v);
            out[i] = v;
        });
        return out;
    }
}
