package dev.exemplar.analysis;

import dev.exemplar.summary.UnionFind;

import java.util.Arrays;

/**
 * The paper's low-cost alternative to spectral clustering (section 4.3): images joined by a pair
 * whose SSIM reaches the threshold form a group (connected components of the upper triangle's
 * pairs above it, O(n^2) with no eigendecomposition), and each group keeps its member most similar
 * to the others.
 */
final class SsimThreshold {

    /** Groups as a clustering (every item in one; singletons too) and their representatives. */
    record Result(int clusters, int[] assignment, int[] representative) { }

    private SsimThreshold() { }

    static Result run(SimilarityMatrix s, double threshold) {
        int n = s.rows();
        UnionFind sets = new UnionFind(n);
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) if (s.get(i, j) >= threshold) sets.union(i, j);
        int[] cluster = new int[n], assignment = new int[n];
        Arrays.fill(cluster, -1);
        int count = 0;
        for (int i = 0; i < n; i++) {
            int r = sets.find(i);
            if (cluster[r] < 0) cluster[r] = count++;
            assignment[i] = cluster[r];
        }
        return new Result(count, assignment, SpectralClustering.medoids(s, assignment, count));
    }
}
