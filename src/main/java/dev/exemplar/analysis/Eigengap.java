package dev.exemplar.analysis;

import java.util.Locale;

/**
 * The number of clusters from the eigenvalues of a graph Laplacian (von Luxburg 2007, section 8.3):
 * with k well separated clusters the first k eigenvalues are near 0 and the next is clearly larger,
 * so k is where the first gap between consecutive eigenvalues exceeds gamma. When no gap does, the
 * largest gap decides, and the reason says so.
 */
final class Eigengap {
    /** Clusters, and the gap after the last of their eigenvalues: lambda[clusters] - lambda[clusters - 1] (0 when there is none). */
    record Choice(int clusters, double gap, String reason) { }

    private Eigengap() { }

    /** @param ascending eigenvalues in ascending order (at least one) */
    static Choice choose(double[] ascending, double gamma) {
        return choose(ascending, gamma, 1);
    }

    /**
     * The same rule among the gaps after the first {@code atLeast} eigenvalues: a graph of c connected
     * components has c zero eigenvalues, and never fewer than c clusters.
     */
    static Choice choose(double[] ascending, double gamma, int atLeast) {
        int n = ascending.length;
        if (!(gamma > 0)) throw new IllegalArgumentException("gamma must be positive: " + gamma);
        if (atLeast < 1 || atLeast > n) throw new IllegalArgumentException("atLeast must be between 1 and " + n);
        if (atLeast == n) return new Choice(n, 0, "every item is a cluster of its own");
        int largest = atLeast;
        for (int k = atLeast; k < n; k++) {
            double gap = ascending[k] - ascending[k - 1];
            if (gap > gamma) {
                return new Choice(k, gap, String.format(Locale.ROOT,
                        "the first eigengap larger than %.3g follows eigenvalue %,d (gap %.3g)", gamma, k, gap));
            }
            if (gap > ascending[largest] - ascending[largest - 1]) largest = k;
        }
        double gap = ascending[largest] - ascending[largest - 1];
        return new Choice(largest, gap, String.format(Locale.ROOT,
                "no eigengap is larger than %.3g; the largest (%.3g) follows eigenvalue %,d", gamma, gap, largest));
    }
}
