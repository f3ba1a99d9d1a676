package dev.exemplar.summary;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Links every constituent to the few delegates that together represent it best: non-negative
 * orthogonal matching pursuit over its nearest delegates, so a second or third delegate is added
 * only when it explains a real part of the image that the first misses.
 */
final class Links {
    /**
     * Per item (null for delegates): delegate item indices, strongest first, and weights summing to 1;
     * and the nearest delegates it was chosen from, most similar first, with their cosine similarity.
     */
    record Table(int[][] delegates, double[][] weights, int[][] candidates, float[][] similarities) { }

    static final int CANDIDATES = 10;
    /** Below this many constituent-delegate dot products, comparing with every delegate is cheap and exact. */
    static final double BRUTE_FORCE_MAX = 5e7;
    /** An extra delegate must cut the residual by this share of the constituent's norm. */
    static final double MIN_GAIN = 0.02;

    private Links() { }

    /** The nearest delegates of a constituent, most similar first; safe to call from many threads. */
    interface Candidates {
        int[] of(int constituent);
    }

    /**
     * Every delegate for small collections; for large ones a search over the delegates' own
     * neighbour graph, seeded from the items' graph, so the cost grows about linearly with n.
     */
    static Candidates candidates(float[][] x, int[] order, int summarySize, NeighbourGraph graph) {
        int[] delegates = Arrays.copyOf(order, summarySize);
        if ((double) summarySize * (x.length - summarySize) <= BRUTE_FORCE_MAX) {
            return c -> {
                NeighbourGraph.TopK top = new NeighbourGraph.TopK(Math.min(CANDIDATES, summarySize));
                for (int d : delegates) {
                    float[] a = x[c], b = x[d];
                    float s = 0;
                    for (int t = 0; t < a.length; t++) s += a[t] * b[t];
                    top.offer(d, s);
                }
                top.sortDescending();
                return top.ids;
            };
        }
        DelegateSearch search = new DelegateSearch(x, delegates, graph);
        return c -> search.nearest(c, CANDIDATES);
    }

    static Table build(float[][] x, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph, Progress progress) {
        int n = x.length;
        int[][] ds = new int[n][];
        double[][] ws = new double[n][];
        int[][] cs = new int[n][];
        float[][] ss = new float[n][];
        progress.phase("links", n - summarySize);
        Candidates candidates = candidates(x, order, summarySize, graph);
        IntStream.range(summarySize, n).parallel().forEach(r -> {
            int c = order[r];
            int[] near = candidates.of(c);
            float[][] atoms = new float[near.length][];
            cs[c] = near;
            ss[c] = new float[near.length];
            for (int t = 0; t < near.length; t++) {
                atoms[t] = x[near[t]];
                ss[c][t] = (float) dev.exemplar.features.Vectors.dot(x[c], atoms[t]);
            }
            NonNegativeOmp.Solution sol = NonNegativeOmp.solve(x[c], atoms, maxDelegates, MIN_GAIN);
            if (sol.atoms().length == 0) { // nothing reconstructs it: the nearest delegate still represents it
                ds[c] = new int[] {near[0]};
                ws[c] = new double[] {1.0};
            } else {
                double sum = Arrays.stream(sol.coefficients()).sum();
                ds[c] = new int[sol.atoms().length];
                ws[c] = new double[sol.atoms().length];
                for (int t = 0; t < sol.atoms().length; t++) {
                    ds[c][t] = near[sol.atoms()[t]];
                    ws[c][t] = sol.coefficients()[t] / sum;
                }
            }
            progress.advance(1);
        });
        return new Table(ds, ws, cs, ss);
    }
}
