package dev.exemplar.analysis;

import dev.exemplar.features.Vectors;
import dev.exemplar.summary.NeighbourGraph;
import dev.exemplar.summary.UnionFind;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * n_c for Algorithm 1 when none is given: one cluster per distinct image, counting a group of
 * near-identical images once. Two images are near-identical when their distance is below
 * {@value #NEAR} times the typical distance between distinct images, the median over images of
 * the distance to their {@value #SCALE_NEIGHBOUR}th nearest other (a copy's own nearest is its
 * original, so a nearer neighbour would measure the copies where many images have one). On the
 * digits' centred, unit wavelet rows every copy lies within 0.13 of that scale of its original and
 * every other image beyond 0.22 of it, so the count does not hang on the exact factor. The groups
 * are the connected components of such pairs among each image's {@value #NEIGHBOURS} nearest.
 * Neighbours are searched on a seeded random projection of the rows to {@value #DIMENSIONS}
 * dimensions (distances kept to about 10%), exactly up to 20,000 images and approximately above
 * (the summary's neighbour search), so the count costs far less than the clustering it sizes.
 */
final class DistinctImages {
    static final double NEAR = 0.17;
    static final int NEIGHBOURS = 10, SCALE_NEIGHBOUR = 5, DIMENSIONS = 128;

    private DistinctImages() { }

    /** @param unitRows rows of unit length */
    static int count(float[][] unitRows, long seed) {
        return unitRows.length < 2 ? unitRows.length : count(neighbours(unitRows, seed));
    }

    /** Each row's {@value #NEIGHBOURS} nearest others, by cosine of the projected rows. */
    static NeighbourGraph neighbours(float[][] unitRows, long seed) {
        return NeighbourGraph.build(project(unitRows, seed), NEIGHBOURS);
    }

    /** The count from a neighbour graph of the rows (see {@link #neighbours}). */
    static int count(NeighbourGraph g) {
        int n = g.size();
        if (n < 2) return n;
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            float[] s = g.similarities(i);
            scale[i] = distance(s[Math.min(SCALE_NEIGHBOUR, s.length) - 1]);
        }
        Arrays.sort(scale);
        double near = NEAR * scale[n / 2];
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
