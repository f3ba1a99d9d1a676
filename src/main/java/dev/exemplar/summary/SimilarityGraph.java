package dev.exemplar.summary;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Symmetric sparse weights in (0, 1] between neighbouring items, from cosine similarities with a
 * locally scaled kernel: w(i, j) = exp(-(1 - s_ij) / sigma_i), where sigma_i is the distance from i
 * to its m-th neighbour. A dense region (many similar-looking scenes) thus asks for closer
 * resemblance than a sparse one before one item counts as representing another.
 *
 * <p>Stored as three flat arrays (item i's neighbours are adj[start[i] .. start[i + 1]), sorted by
 * id, with their weights in w): no object per item, which at a million items is the difference
 * between a few large arrays and millions the collector has to trace and copy.
 */
final class SimilarityGraph {
    final int[] start, adj;
    final float[] w;

    private SimilarityGraph(int[] start, int[] adj, float[] w) {
        this.start = start;
        this.adj = adj;
        this.w = w;
    }

    int size() {
        return start.length - 1;
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
        IntStream.range(0, n).parallel().forEach(i -> weights(g, i, scaleNeighbour, kernel));
        int[] fill = Arrays.copyOf(begin, n);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                int j = g.neighbour(i, t);
                float v = kernel[i * k + t];
                ids[fill[i]] = j;
                ws[fill[i]++] = v;
                ids[fill[j]] = i;
                ws[fill[j]++] = v;
            }
        }
        int[] kept = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> kept[i] = mergeRepeats(ids, ws, begin[i], begin[i + 1]));
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + kept[i];
        int[] adj = new int[start[n]];
        float[] w = new float[start[n]];
        IntStream.range(0, n).parallel().forEach(i -> {
            System.arraycopy(ids, begin[i], adj, start[i], kept[i]);
            System.arraycopy(ws, begin[i], w, start[i], kept[i]);
        });
        return new SimilarityGraph(start, adj, w);
    }

    private static void weights(NeighbourGraph g, int i, int scaleNeighbour, float[] out) {
        int k = g.degree();
        if (k == 0) return;
        double sigma = Math.max(1e-6, 1 - g.similarity(i, Math.min(scaleNeighbour, k) - 1));
        for (int t = 0; t < k; t++) out[i * k + t] = (float) Math.exp(-Math.max(0, 1 - g.similarity(i, t)) / sigma);
    }

    /**
     * Sorts [from, to) by neighbour, keeps the larger weight of a pair seen from both sides, moves
     * the kept entries to the front and returns how many there are.
     */
    private static int mergeRepeats(int[] ids, float[] ws, int from, int to) {
        int m = to - from;
        long[] packed = new long[m];
        for (int t = 0; t < m; t++) packed[t] = ((long) ids[from + t] << 32) | (Float.floatToIntBits(ws[from + t]) & 0xffffffffL);
        Arrays.sort(packed);
        int k = 0;
        for (long p : packed) {
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
