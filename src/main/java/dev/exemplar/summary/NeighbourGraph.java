package dev.exemplar.summary;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k most similar items of every item (cosine similarity of unit vectors), most similar first.
 * Exact search costs n^2 d and serves collections up to {@link #EXACT_MAX} items; larger ones use
 * the near-linear approximate search of {@link NeighbourSearch}.
 */
public final class NeighbourGraph {
    private final int[][] ids;
    private final float[][] sims;

    NeighbourGraph(int[][] ids, float[][] sims) {
        this.ids = ids;
        this.sims = sims;
    }

    public int size() {
        return ids.length;
    }

    public int[] neighbours(int item) {
        return ids[item];
    }

    public float[] similarities(int item) {
        return sims[item];
    }

    /** Raises the similarity of item i to its t-th neighbour; call {@link #resort} when done. */
    void raise(int item, int t, float similarity) {
        if (similarity > sims[item][t]) sims[item][t] = similarity;
    }

    /** Lowers the similarity of item i to its t-th neighbour; call {@link #resort} when done. */
    void lower(int item, int t, float similarity) {
        if (similarity < sims[item][t]) sims[item][t] = similarity;
    }

    /** Restores most-similar-first order after raises. */
    void resort() {
        for (int i = 0; i < ids.length; i++) {
            TopK top = new TopK(ids[i].length);
            for (int t = 0; t < ids[i].length; t++) top.offer(ids[i][t], sims[i][t]);
            top.sortDescending();
            ids[i] = top.ids;
            sims[i] = top.sims;
        }
    }

    /** Up to this many rows exact search takes seconds at most, so approximation gains nothing. */
    public static final int EXACT_MAX = 20_000;
    static final long SEED = 1;

    /** The k nearest neighbours of unit rows: exact for small collections, approximate above {@link #EXACT_MAX}. */
    public static NeighbourGraph build(float[][] x, int k) {
        return x.length <= EXACT_MAX ? exact(x, k) : NeighbourSearch.approximate(x, k, SEED);
    }

    /** Exact k-nearest neighbours of unit rows, in parallel over rows. */
    public static NeighbourGraph exact(float[][] x, int k) {
        int n = x.length, kk = Math.max(0, Math.min(k, n - 1));
        int[][] ids = new int[n][];
        float[][] sims = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            TopK top = new TopK(kk);
            float[] xi = x[i];
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                float[] xj = x[j];
                float s = 0;
                for (int t = 0; t < xi.length; t++) s += xi[t] * xj[t];
                top.offer(j, s);
            }
            top.sortDescending();
            ids[i] = top.ids;
            sims[i] = top.sims;
        });
        return new NeighbourGraph(ids, sims);
    }

    /** A bounded min-heap of the best scores seen. */
    static final class TopK {
        final int[] ids;
        final float[] sims;
        int size;

        TopK(int k) {
            ids = new int[k];
            sims = new float[k];
        }

        void offer(int id, float s) {
            int k = ids.length;
            if (k == 0) return;
            if (size < k) {
                int i = size++;
                ids[i] = id;
                sims[i] = s;
                siftUp(i);
            } else if (s > sims[0]) {
                ids[0] = id;
                sims[0] = s;
                siftDown(0);
            }
        }

        private void siftUp(int i) {
            while (i > 0) {
                int p = (i - 1) / 2;
                if (sims[p] <= sims[i]) break;
                swap(i, p);
                i = p;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int l = 2 * i + 1, r = l + 1, m = i;
                if (l < size && sims[l] < sims[m]) m = l;
                if (r < size && sims[r] < sims[m]) m = r;
                if (m == i) return;
                swap(i, m);
                i = m;
            }
        }

        private void swap(int a, int b) {
            int ti = ids[a]; ids[a] = ids[b]; ids[b] = ti;
            float ts = sims[a]; sims[a] = sims[b]; sims[b] = ts;
        }

        /** Sorts in place, most similar first (ties by id for a deterministic order). */
        void sortDescending() {
            Integer[] idx = new Integer[size];
            for (int i = 0; i < size; i++) idx[i] = i;
            Arrays.sort(idx, (a, b) -> sims[a] != sims[b] ? Float.compare(sims[b], sims[a]) : Integer.compare(ids[a], ids[b]));
            int[] ni = new int[size];
            float[] ns = new float[size];
            for (int i = 0; i < size; i++) {
                ni[i] = ids[idx[i]];
                ns[i] = sims[idx[i]];
            }
            System.arraycopy(ni, 0, ids, 0, size);
            System.arraycopy(ns, 0, sims, 0, size);
        }
    }
}
