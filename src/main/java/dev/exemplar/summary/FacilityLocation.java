package dev.exemplar.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Orders items by greedy maximisation of the facility-location objective
 * F(S) = sum over items i of max over s in S of w(i, s), on the sparse neighbour graph.
 * An item's marginal gain is how much better it represents itself and its neighbours than
 * the items already chosen, so a scene's first view gains a lot and its near-copies almost
 * nothing. Lazy evaluation keeps the whole order at about O(n log n) graph look-ups.
 */
public final class FacilityLocation {
    /** The complete order and the marginal gain of each of its items. */
    public record Ordering(int[] order, double[] gains) { }

    private FacilityLocation() { }

    /**
     * @param floor similarities at or below it count as nothing; above it they are rescaled
     *              to (0, 1], so only real resemblance makes an item represent another
     */
    public static Ordering order(NeighbourGraph graph, double floor) {
        int n = graph.size();
        int[][] adj = new int[n][];
        float[][] w = new float[n][];
        symmetricWeights(graph, floor, adj, w);

        float[] covered = new float[n];
        boolean[] chosen = new boolean[n];
        int[] order = new int[n];
        double[] gains = new double[n];
        // entries: {bound, item}; largest bound first, smaller item first on ties
        PriorityQueue<double[]> heap = new PriorityQueue<>(n, (a, b) ->
                a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int j = 0; j < n; j++) heap.add(new double[] {gain(j, adj, w, covered), j});
        int at = 0;
        while (!heap.isEmpty()) {
            double[] top = heap.poll();
            int j = (int) top[1];
            double g = gain(j, adj, w, covered);
            double[] next = heap.peek();
            if (next != null && g < next[0] - 1e-12) {
                top[0] = g;
                heap.add(top);
                continue;
            }
            chosen[j] = true;
            order[at] = j;
            gains[at++] = g;
            covered[j] = 1f;
            for (int t = 0; t < adj[j].length; t++) {
                int i = adj[j][t];
                if (w[j][t] > covered[i]) covered[i] = w[j][t];
            }
        }
        return new Ordering(order, gains);
    }

    private static double gain(int j, int[][] adj, float[][] w, float[] covered) {
        double g = 1 - covered[j];
        int[] a = adj[j];
        float[] wj = w[j];
        for (int t = 0; t < a.length; t++) {
            float d = wj[t] - covered[a[t]];
            if (d > 0) g += d;
        }
        return g;
    }

    /** Union of both directions of the neighbour lists, rescaled above the floor. */
    private static void symmetricWeights(NeighbourGraph g, double floor, int[][] adj, float[][] w) {
        int n = g.size();
        List<List<int[]>> lists = new ArrayList<>(n);
        for (int i = 0; i < n; i++) lists.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int[] nb = g.neighbours(i);
            float[] s = g.similarities(i);
            for (int t = 0; t < nb.length; t++) {
                float v = (float) ((s[t] - floor) / (1 - floor));
                if (v <= 0) continue;
                int bits = Float.floatToIntBits(Math.min(v, 1f));
                lists.get(i).add(new int[] {nb[t], bits});
                lists.get(nb[t]).add(new int[] {i, bits});
            }
        }
        for (int i = 0; i < n; i++) {
            List<int[]> l = lists.get(i);
            l.sort((x, y) -> Integer.compare(x[0], y[0]));
            int[] ids = new int[l.size()];
            float[] ws = new float[l.size()];
            int m = 0;
            for (int[] e : l) {
                float v = Float.intBitsToFloat(e[1]);
                if (m > 0 && ids[m - 1] == e[0]) { // the same pair seen from both sides
                    ws[m - 1] = Math.max(ws[m - 1], v);
                    continue;
                }
                ids[m] = e[0];
                ws[m++] = v;
            }
            adj[i] = java.util.Arrays.copyOf(ids, m);
            w[i] = java.util.Arrays.copyOf(ws, m);
        }
    }
}
