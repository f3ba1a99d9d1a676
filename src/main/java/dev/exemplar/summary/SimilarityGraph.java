package dev.exemplar.summary;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Symmetric sparse weights in (0, 1] between neighbouring items, from cosine similarities with a
 * locally scaled kernel: w(i, j) = exp(-(1 - s_ij) / sigma_i), where sigma_i is the distance from i
 * to its m-th neighbour. A dense region (many similar-looking scenes) thus asks for closer
 * resemblance than a sparse one before one item counts as representing another.
 *
 * <p>Stored as flat arrays (item i's neighbours are adj[start[i] .. end[i]), sorted by id, with
 * their weights in w): no object per item, which at a million items is the difference
 * between a few large arrays and millions the collector has to trace and copy.
 */
final class SimilarityGraph {
    final int[] start, end, adj;
    final float[] w;

    private SimilarityGraph(int[] start, int[] end, int[] adj, float[] w) {
        this.start = start;
        this.end = end;
        this.adj = adj;
        this.w = w;
    }

    int size() {
        return end.length;
    }

    static SimilarityGraph locallyScaled(NeighbourGraph g, int scaleNeighbour) {
        int n = g.size();
        // each listed pair in both directions, then per item sorted by neighbour with repeats merged
        int k = g.degree();
        int[] begin = new int[n + 1];
        for (int i = 0; i < n; i++) {
            begin[i + 1] += k;
            for (int t = 0; t < k; t++) begin[g.neighbour(i, t) + 1]++;
        }
        for (int i = 0; i < n; i++) begin[i + 1] += begin[i];
        int[] ids = new int[begin[n]];
        float[] ws = new float[begin[n]];
        float[] kernel = new float[n * k];
        items(n).forEach(i -> weights(g, i, scaleNeighbour, kernel));
        // each item's own list, then the reverse entries: written by ranges of items in parallel, each range scanning every
        // list but writing only its own stretch, which stays in the caches (one pass writing at random took seconds)
        int ranges = n >= 10_000 ? Math.max(1, Math.min(4, begin[n] / (1 << 20))) : 1;
        items(ranges).forEach(r -> {
            int lo = (int) ((long) n * r / ranges), hi = (int) ((long) n * (r + 1) / ranges);
            int[] fill = new int[hi - lo];
            for (int i = lo; i < hi; i++) {
                int at = begin[i];
                for (int t = 0; t < k; t++) {
                    ids[at] = g.neighbour(i, t);
                    ws[at++] = kernel[i * k + t];
                }
                fill[i - lo] = at;
            }
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < k; t++) {
                    int j = g.neighbour(i, t);
                    if (j < lo || j >= hi) continue;
                    int at = fill[j - lo]++;
                    ids[at] = i;
                    ws[at] = kernel[i * k + t];
                }
            }
        });
        // merged in place: item i's entries end where its repeats were, so no second copy of the arrays is made
        // (memory touched for the first time costs about 3 ms per MB here)
        int[] end = new int[n];
        items(n).forEach(i -> end[i] = begin[i] + mergeRepeats(ids, ws, begin[i], begin[i + 1]));
        return new SimilarityGraph(begin, end, ids, ws);
    }

    private static final ThreadLocal<long[]> PACKED = ThreadLocal.withInitial(() -> new long[64]);

    /** In parallel where there is enough to share: for a few hundred items handing work to other threads costs more than it saves. */
    private static IntStream items(int n) {
        return n >= 10_000 ? IntStream.range(0, n).parallel() : IntStream.range(0, n);
    }

    private static void weights(NeighbourGraph g, int i, int scaleNeighbour, float[] out) {
        int k = g.degree();
        if (k == 0) return;
        double sigma = scale(g.similarity(i, Math.min(scaleNeighbour, k) - 1));
        for (int t = 0; t < k; t++) out[i * k + t] = weight(g.similarity(i, t), sigma);
    }

    /** An item's local scale sigma, from its similarity to its scale neighbour. */
    static double scale(float scaleNeighbourSimilarity) {
        return Math.max(1e-6, 1 - scaleNeighbourSimilarity);
    }

    /** The kernel weight of a neighbour at this cosine similarity, seen from an item of scale sigma. */
    static float weight(float similarity, double sigma) {
        return (float) Math.exp(-Math.max(0, 1 - similarity) / sigma);
    }

    /**
     * Sorts [from, to) by neighbour, keeps the larger weight of a pair seen from both sides, moves
     * the kept entries to the front and returns how many there are.
     */
    private static int mergeRepeats(int[] ids, float[] ws, int from, int to) {
        int m = to - from;
        long[] packed = PACKED.get();
        if (packed.length < m) PACKED.set(packed = new long[Math.max(m, 2 * packed.length)]);
        for (int t = 0; t < m; t++) packed[t] = ((long) ids[from + t] << 32) | (Float.floatToIntBits(ws[from + t]) & 0xffffffffL);
        Arrays.sort(packed, 0, m);
        int k = 0;
        for (int q = 0; q < m; q++) {
            long p = packed[q];
            int id = (int) (p >>> 32);
            float v = Float.intBitsToFloat((int) p);
            if (k > 0 && ids[from + k - 1] == id) {
                ws[from + k - 1] = Math.max(ws[from + k - 1], v);
            } else {
                ids[from + k] = id;
                ws[from + k++] = v;
            }
        }
        return k;
    }
}
