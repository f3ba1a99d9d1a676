package dev.exemplar.summary;

import java.util.PriorityQueue;

/**
 * Orders items by greedy maximisation of the facility-location objective
 * F(S) = sum over items i of max over s in S of w(i, s), on a sparse similarity graph.
 * An item's marginal gain is how much better it represents itself and its neighbours than
 * the items already chosen, so a scene's first view gains a lot and its near-copies almost
 * nothing. Lazy evaluation keeps the whole order at about O(n log n) graph look-ups.
 */
final class FacilityLocation {
    /** The complete order and the marginal gain of each of its items. */
    record Ordering(int[] order, double[] gains) { }

    private FacilityLocation() { }

    static Ordering order(SimilarityGraph g) {
        int n = g.size();
        float[] covered = new float[n];
        int[] order = new int[n];
        double[] gains = new double[n];
        // entries: {bound, item}; largest bound first, smaller item first on ties
        PriorityQueue<double[]> heap = new PriorityQueue<>(Math.max(1, n), (a, b) ->
                a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int j = 0; j < n; j++) heap.add(new double[] {gain(j, g, covered), j});
        int at = 0;
        while (!heap.isEmpty()) {
            double[] top = heap.poll();
            int j = (int) top[1];
            double gain = gain(j, g, covered);
            double[] next = heap.peek();
            if (next != null && gain < next[0] - 1e-12) { // stale bound: re-queue with the true gain
                top[0] = gain;
                heap.add(top);
                continue;
            }
            order[at] = j;
            gains[at++] = gain;
            covered[j] = 1f;
            int[] a = g.adj[j];
            float[] w = g.w[j];
            for (int t = 0; t < a.length; t++) if (w[t] > covered[a[t]]) covered[a[t]] = w[t];
        }
        return new Ordering(order, gains);
    }

    private static double gain(int j, SimilarityGraph g, float[] covered) {
        double gain = 1 - covered[j];
        int[] a = g.adj[j];
        float[] w = g.w[j];
        for (int t = 0; t < a.length; t++) {
            float d = w[t] - covered[a[t]];
            if (d > 0) gain += d;
        }
        return gain;
    }
}
