package dev.exemplar.summary;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k most similar items of every item (cosine similarity of unit vectors), most similar first.
 * Exact search costs n^2 d and serves small collections ({@link #EXACT_MAX_PRODUCTS}); larger
 * ones use the near-linear approximate search of {@link NeighbourSearch}.
 */
public final class NeighbourGraph {
    /** Item i's list is ids[i k .. i k + k) with its similarities in sims, most similar first: two arrays, no object per item. */
    private final int n, k;
    private final int[] ids;
    private final float[] sims;
    private final Partition partition;

    private NeighbourGraph(int n, int k, int[] ids, float[] sims, Partition partition) {
        this.n = n;
        this.k = k;
        this.ids = ids;
        this.sims = sims;
        this.partition = partition;
    }

    public int size() {
        return n;
    }

    /** Neighbours per item: the k asked for, or n - 1 when there are fewer other items. */
    int degree() {
        return k;
    }

    /** Item i's t-th most similar neighbour. */
    int neighbour(int item, int t) {
        return ids[item * k + t];
    }

    float similarity(int item, int t) {
        return sims[item * k + t];
    }

    /** Item i's neighbours, most similar first (a copy). */
    public int[] neighbours(int item) {
        return Arrays.copyOfRange(ids, item * k, item * k + k);
    }

    /** Their similarities (a copy). */
    public float[] similarities(int item) {
        return Arrays.copyOfRange(sims, item * k, item * k + k);
    }

    /** The lists renumbered by position in {@code order} (a permutation of the items), as a copy. */
    Pipeline.Neighbours inOrder(int[] order) {
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) rank[order[r]] = r;
        int[] outIds = new int[n * k];
        float[] outSims = new float[n * k];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            for (int t = 0; t < k; t++) outIds[r * k + t] = rank[ids[i * k + t]];
            System.arraycopy(sims, i * k, outSims, r * k, k);
        }
        return new Pipeline.Neighbours(k, outIds, outSims);
    }

    /** Raises the similarity of item i to its t-th neighbour; call {@link #resort} when done. */
    void raise(int item, int t, float similarity) {
        if (similarity > sims[item * k + t]) sims[item * k + t] = similarity;
    }

    /** Lowers the similarity of item i to its t-th neighbour; call {@link #resort} when done. */
    void lower(int item, int t, float similarity) {
        if (similarity < sims[item * k + t]) sims[item * k + t] = similarity;
    }

    /**
     * Takes item i's similarity to j as judged elsewhere (scene verification in another run over both items): an
     * entry already listed takes it; an unlisted one replaces i's least similar neighbour when it is more similar.
     * Call {@link #resort} when done.
     */
    public void judged(int item, int other, float similarity) {
        if (k == 0 || item == other) return;
        int base = item * k;
        for (int t = 0; t < k; t++) {
            if (ids[base + t] == other) {
                sims[base + t] = similarity;
                return;
            }
        }
        int weakest = base;
        for (int t = 1; t < k; t++) if (sims[base + t] < sims[weakest]) weakest = base + t;
        if (similarity > sims[weakest]) {
            ids[weakest] = other;
            sims[weakest] = similarity;
        }
    }

    /** Restores most-similar-first order after raises. */
    public void resort() {
        for (int i = 0; i < size(); i++) {
            TopK top = new TopK(k);
            for (int t = 0; t < k; t++) top.offer(ids[i * k + t], sims[i * k + t]);
            top.sortDescending();
            System.arraycopy(top.ids, 0, ids, i * k, k);
            System.arraycopy(top.sims, 0, sims, i * k, k);
        }
    }

    /**
     * Exact search compares all pairs, n^2 d / 2 multiply-adds: up to this many (about half a second
     * on two cores, the 3,986 values of the descriptors of 2,200 images or 256 values of 8,800 rows)
     * it is cheap and approximation gains nothing.
     */
    static final double EXACT_MAX_PRODUCTS = 2e10;
    static final long SEED = 1;

    /** Whether {@link #build} searches n rows of d values exactly. */
    static boolean exactFor(int n, int d) {
        return (double) n * n * d <= EXACT_MAX_PRODUCTS;
    }

    /** The k nearest neighbours of unit rows: exact for small collections, approximate above. */
    public static NeighbourGraph build(float[][] x, int k) {
        return build(Rows.of(x), k);
    }

    /** As {@link #build(float[][], int)}, for rows wherever they are. */
    public static NeighbourGraph build(Rows x, int k) {
        return x.size() == 0 || exactFor(x.size(), x.dim()) ? exact(x, k) : NeighbourSearch.approximate(x, k, SEED);
    }

    /** The random-projection trees an approximate search compared rows in; null after exact search. */
    Partition partition() {
        return partition;
    }

    /** Exact k-nearest neighbours of unit rows, every pair compared a tile at a time, in parallel over rows. */
    public static NeighbourGraph exact(float[][] x, int k) {
        return exact(Rows.of(x), k);
    }

    static NeighbourGraph exact(Rows x, int k) {
        int n = x.size(), kk = Math.max(0, Math.min(k, n - 1));
        KBest best = new KBest(n, kk);
        if (kk > 0) {
            int[] all = IntStream.range(0, n).toArray();
            int chunk = 16 * Tiles.ROWS; // each candidate block is read once for this many queries
            IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c ->
                    Tiles.scratch().compare(x, all, c * chunk, Math.min(n, (c + 1) * chunk), x, all, 0, n, best.sink));
        }
        return of(best, null);
    }

    /** The graph of full lists (every row holds best.k entries), sorted most similar first. */
    static NeighbourGraph of(KBest best, Partition partition) {
        int n = best.n, k = best.k;
        IntStream.range(0, n).parallel().forEach(best::sortInPlace);
        return new NeighbourGraph(n, k, best.ids, best.sims, partition);
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
