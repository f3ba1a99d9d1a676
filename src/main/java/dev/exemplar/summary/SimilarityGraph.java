package dev.exemplar.summary;

import java.util.Arrays;

/**
 * Symmetric sparse weights in (0, 1] between neighbouring items, from cosine similarities with a
 * locally scaled kernel: w(i, j) = exp(-(1 - s_ij) / sigma_i), where sigma_i is the distance from i
 * to its m-th neighbour. A dense region (many similar-looking scenes) thus asks for closer
 * resemblance than a sparse one before one item counts as representing another.
 */
final class SimilarityGraph {
    final int[][] adj;
    final float[][] w;

    private SimilarityGraph(int[][] adj, float[][] w) {
        this.adj = adj;
        this.w = w;
    }

    int size() {
        return adj.length;
    }

    static SimilarityGraph locallyScaled(NeighbourGraph g, int scaleNeighbour) {
        int n = g.size();
        int[] degree = new int[n];
        for (int i = 0; i < n; i++) {
            degree[i] += g.neighbours(i).length;
            for (int j : g.neighbours(i)) degree[j]++;
        }
        int[][] ids = new int[n][];
        float[][] ws = new float[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = new int[degree[i]];
            ws[i] = new float[degree[i]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            int[] nb = g.neighbours(i);
            float[] s = g.similarities(i);
            if (nb.length == 0) continue;
            double sigma = Math.max(1e-6, 1 - s[Math.min(scaleNeighbour, nb.length) - 1]);
            for (int t = 0; t < nb.length; t++) {
                float v = (float) Math.exp(-Math.max(0, 1 - s[t]) / sigma);
                int j = nb[t];
                ids[i][fill[i]] = j;
                ws[i][fill[i]++] = v;
                ids[j][fill[j]] = i;
                ws[j][fill[j]++] = v;
            }
        }
        for (int i = 0; i < n; i++) mergeDuplicates(ids, ws, i);
        return new SimilarityGraph(ids, ws);
    }

    /** Sorts item i's list by neighbour and keeps the larger weight of a pair seen from both sides. */
    private static void mergeDuplicates(int[][] ids, float[][] ws, int i) {
        int m = ids[i].length;
        long[] packed = new long[m];
        for (int t = 0; t < m; t++) packed[t] = ((long) ids[i][t] << 32) | (Float.floatToIntBits(ws[i][t]) & 0xffffffffL);
        Arrays.sort(packed);
        int[] outIds = new int[m];
        float[] outW = new float[m];
        int k = 0;
        for (long p : packed) {
            int id = (int) (p >>> 32);
            float v = Float.intBitsToFloat((int) p);
            if (k > 0 && outIds[k - 1] == id) {
                outW[k - 1] = Math.max(outW[k - 1], v);
            } else {
                outIds[k] = id;
                outW[k++] = v;
            }
        }
        ids[i] = Arrays.copyOf(outIds, k);
        ws[i] = Arrays.copyOf(outW, k);
    }
}
