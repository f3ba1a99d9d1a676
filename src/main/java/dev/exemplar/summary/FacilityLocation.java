package dev.exemplar.summary;

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
        return order(g, kept, null);
    }

    /**
     * As {@link #order(SimilarityGraph, int[])}, each item standing for {@code mass[i]} items (null: one each), as a
     * weighted core-set does: F(S) = sum over i of mass[i] max over s in S of w(i, s).
     */
    static Ordering order(SimilarityGraph g, int[] kept, double[] mass) {
        int n = g.size();
        float[] covered = new float[n];
        int[] order = new int[n];
        double[] gains = new double[n];
        boolean[] isKept = new boolean[n];
        for (int j : kept) isKept[j] = true;
        Heap heap = new Heap(n);
        for (int j = 0; j < n; j++) if (!isKept[j]) heap.add(gain(j, g, covered, mass), j);
        // the kept items' bounds too: a new item goes first only when it gains more than any kept item still to come
        Heap keptHeap = new Heap(kept.length);
        for (int j : kept) keptHeap.add(gain(j, g, covered, mass), j);
        boolean[] placed = new boolean[n];
        int at = 0, next = 0;
        while (at < n) {
            int j;
            double gain;
            boolean found = freshest(heap, g, covered, mass);
            while (keptHeap.size > 0 && placed[keptHeap.item[0]]) keptHeap.poll();
            double keptBound = Double.NEGATIVE_INFINITY;
            if (freshest(keptHeap, g, covered, mass)) {
                keptBound = keptHeap.polledKey;
                keptHeap.add(keptHeap.polledKey, keptHeap.polledItem);
            }
            if (found && heap.polledKey > keptBound) { // an item not kept gains more: it goes first
                j = heap.polledItem;
                gain = heap.polledKey;
            } else {
                if (found) heap.add(heap.polledKey, heap.polledItem); // its true gain now bounds it from above later
                j = kept[next++];
                gain = gain(j, g, covered, mass);
            }
            placed[j] = true;
            order[at] = j;
            gains[at++] = gain;
            covered[j] = 1f;
            for (int e = g.start[j], end = g.end[j]; e < end; e++) {
                int a = g.adj[e];
                if (g.w[e] > covered[a]) covered[a] = g.w[e];
            }
        }
        return new Ordering(order, gains);
    }

    /**
     * Takes the item of largest true gain out of the heap into its polled fields, re-queueing
     * stale bounds on the way (lazy evaluation: gains only fall as items are chosen); false when
     * the heap is empty.
     */
    private static boolean freshest(Heap heap, SimilarityGraph g, float[] covered, double[] mass) {
        while (heap.size > 0) {
            int j = heap.item[0];
            heap.poll();
            double gain = gain(j, g, covered, mass);
            if (heap.size == 0 || gain >= heap.key[0] - 1e-12) {
                heap.polledKey = gain;
                heap.polledItem = j;
                return true;
            }
            heap.add(gain, j);
        }
        return false;
    }

    private static double gain(int j, SimilarityGraph g, float[] covered, double[] mass) {
        if (mass != null) return weightedGain(j, g, covered, mass);
        double gain = 1 - covered[j];
        for (int e = g.start[j], end = g.end[j]; e < end; e++) {
            float d = g.w[e] - covered[g.adj[e]];
            if (d > 0) gain += d;
        }
        return gain;
    }

    private static double weightedGain(int j, SimilarityGraph g, float[] covered, double[] mass) {
        double gain = mass[j] * (1 - covered[j]);
        for (int e = g.start[j], end = g.end[j]; e < end; e++) {
            int a = g.adj[e];
            float d = g.w[e] - covered[a];
            if (d > 0) gain += mass[a] * d;
        }
        return gain;
    }

    /** A binary max-heap of (bound, item) in two arrays: largest bound first, the smaller item on ties. */
    static final class Heap {
        final double[] key;
        final int[] item;
        int size;
        double polledKey;
        int polledItem;

        Heap(int capacity) {
            key = new double[Math.max(1, capacity)];
            item = new int[Math.max(1, capacity)];
        }

        private boolean above(int a, int b) {
            return key[a] != key[b] ? key[a] > key[b] : item[a] < item[b];
        }

        void add(double k, int j) {
            int at = size++;
            key[at] = k;
            item[at] = j;
            while (at > 0) {
                int p = (at - 1) >>> 1;
                if (!above(at, p)) break;
                swap(at, p);
                at = p;
            }
        }

        void poll() {
            size--;
            key[0] = key[size];
            item[0] = item[size];
            int at = 0;
            while (true) {
                int l = 2 * at + 1, r = l + 1, m = at;
                if (l < size && above(l, m)) m = l;
                if (r < size && above(r, m)) m = r;
                if (m == at) return;
                swap(at, m);
                at = m;
            }
        }

        private void swap(int a, int b) {
            double k = key[a]; key[a] = key[b]; key[b] = k;
            int t = item[a]; item[a] = item[b]; item[b] = t;
        }
    }
}
