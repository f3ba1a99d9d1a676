package dev.exemplar.summary;

import java.util.PriorityQueue;

/**
 * The delegates most similar to a constituent, without comparing it to every delegate: a best-first
 * search over the neighbour graph of the delegates, started from the delegates among the
 * constituent's own neighbours (or its neighbours' neighbours), which are already close to it.
 */
final class DelegateSearch {
    static final int NEIGHBOURS = 20, POOL = 24, ENTRIES = 32;

    private final float[][] x;
    private final int[] delegates;
    /** Item index to delegate index, -1 for constituents. */
    private final int[] local;
    private final NeighbourGraph items, graph;
    private final ThreadLocal<int[]> seen;
    private final ThreadLocal<int[]> stamp = ThreadLocal.withInitial(() -> new int[1]);

    DelegateSearch(float[][] x, int[] delegates, NeighbourGraph items) {
        this.x = x;
        this.delegates = delegates;
        this.items = items;
        local = new int[x.length];
        java.util.Arrays.fill(local, -1);
        float[][] rows = new float[delegates.length][];
        for (int t = 0; t < delegates.length; t++) {
            local[delegates[t]] = t;
            rows[t] = x[delegates[t]];
        }
        graph = NeighbourGraph.build(rows, NEIGHBOURS);
        seen = ThreadLocal.withInitial(() -> new int[delegates.length]);
    }

    /** Up to m delegates (item indices) most similar to item c, most similar first. */
    int[] nearest(int c, int m) {
        float[] q = x[c];
        int[] visited = seen.get();
        int[] st = stamp.get();
        if (++st[0] == Integer.MAX_VALUE) { // stamps wrapped: forget all marks
            java.util.Arrays.fill(visited, 0);
            st[0] = 1;
        }
        int mark = st[0];
        NeighbourGraph.TopK best = new NeighbourGraph.TopK(Math.max(m, Math.min(POOL, delegates.length)));
        PriorityQueue<Long> frontier = new PriorityQueue<>();
        // seeds: delegates among the neighbours, else among their neighbours, else fixed entry points
        for (int j : items.neighbours(c)) visit(local[j], q, visited, mark, best, frontier);
        if (frontier.isEmpty()) {
            for (int j : items.neighbours(c)) for (int h : items.neighbours(j)) visit(local[h], q, visited, mark, best, frontier);
        }
        if (frontier.isEmpty()) {
            int step = Math.max(1, delegates.length / ENTRIES);
            for (int t = 0; t < delegates.length; t += step) visit(t, q, visited, mark, best, frontier);
        }
        while (!frontier.isEmpty()) {
            long top = frontier.poll();
            float s = Float.intBitsToFloat(ordered(~(int) (top >> 32)));
            if (best.size == best.ids.length && s < best.sims[0]) break; // nothing closer can follow
            for (int h : graph.neighbours((int) top)) visit(h, q, visited, mark, best, frontier);
        }
        best.sortDescending();
        int[] out = new int[Math.min(m, best.size)];
        for (int t = 0; t < out.length; t++) out[t] = delegates[best.ids[t]];
        return out;
    }

    private void visit(int t, float[] q, int[] visited, int mark, NeighbourGraph.TopK best, PriorityQueue<Long> frontier) {
        if (t < 0 || visited[t] == mark) return;
        visited[t] = mark;
        float s = NeighbourSearch.dot(q, x[delegates[t]]);
        if (best.size == best.ids.length && s <= best.sims[0]) return;
        best.offer(t, s);
        frontier.add(((long) ~ordered(Float.floatToIntBits(s)) << 32) | t); // most similar polled first
    }

    /** Maps float bits to ints that sort like the floats, and back (the map is its own inverse). */
    private static int ordered(int bits) {
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
