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
        return order(g, new int[0]);
    }

    /**
     * The greedy order with {@code kept} (distinct items, in an earlier order) held in their
     * relative order: at each step the next kept item is taken unless another item gains more
     * than every kept item still to come (the greedy would take it before any of them), and that
     * one goes first. So items added since the earlier order go where the greedy would take them,
     * and everything else stays as it was; with nothing kept this is the plain greedy order.
     * Comparing with the next kept item alone would put new items too early: a kept item a new
     * one now covers gains little, and every new item would jump ahead of it.
     */
    static Ordering order(SimilarityGraph g, int[] kept) {
        int n = g.size();
        float[] covered = new float[n];
        int[] order = new int[n];
        double[] gains = new double[n];
        boolean[] isKept = new boolean[n];
        for (int j : kept) isKept[j] = true;
        // entries: {bound, item}; largest bound first, smaller item first on ties
        PriorityQueue<double[]> heap = new PriorityQueue<>(Math.max(1, n), (a, b) ->
                a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int j = 0; j < n; j++) if (!isKept[j]) heap.add(new double[] {gain(j, g, covered), j});
        // the kept items' bounds too: a new item goes first only when it gains more than any kept item still to come
        PriorityQueue<double[]> keptHeap = new PriorityQueue<>(Math.max(1, kept.length), heap.comparator());
        for (int j : kept) keptHeap.add(new double[] {gain(j, g, covered), j});
        boolean[] placed = new boolean[n];
        int at = 0, next = 0;
        while (at < n) {
            int j;
            double gain;
            double[] best = freshest(heap, g, covered);
            while (!keptHeap.isEmpty() && placed[(int) keptHeap.peek()[1]]) keptHeap.poll();
            double[] keptBest = freshest(keptHeap, g, covered);
            if (keptBest != null) keptHeap.add(keptBest);
            double keptBound = keptBest == null ? Double.NEGATIVE_INFINITY : keptBest[0];
            if (best != null && best[0] > keptBound) { // an item not kept gains more: it goes first
                j = (int) best[1];
                gain = best[0];
            } else {
                if (best != null) heap.add(best); // its true gain now bounds it from above later
                j = kept[next++];
                gain = gain(j, g, covered);
            }
            placed[j] = true;
            order[at] = j;
            gains[at++] = gain;
            covered[j] = 1f;
            int[] a = g.adj[j];
            float[] w = g.w[j];
            for (int t = 0; t < a.length; t++) if (w[t] > covered[a[t]]) covered[a[t]] = w[t];
        }
        return new Ordering(order, gains);
    }

    /**
     * Takes the item of largest true gain out of the heap, re-queueing stale bounds on the way
     * (lazy evaluation: gains only fall as items are chosen); null when the heap is empty.
     */
    private static double[] freshest(PriorityQueue<double[]> heap, SimilarityGraph g, float[] covered) {
        while (!heap.isEmpty()) {
            double[] top = heap.poll();
            top[0] = gain((int) top[1], g, covered);
            double[] following = heap.peek();
            if (following == null || top[0] >= following[0] - 1e-12) return top;
            heap.add(top);
        }
        return null;
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
