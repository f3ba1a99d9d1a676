package dev.exemplar.summary;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.RecursiveAction;
import java.util.stream.IntStream;

/**
 * Approximate k-nearest neighbours of unit rows by NN-descent (Dong, Charikar and Li 2011):
 * neighbours of neighbours are likely neighbours, so each round compares only the sampled
 * forward and reverse neighbours of every item with each other. Lists start from the leaves of
 * random-projection trees, which already hold most true neighbours, so few rounds are needed.
 *
 * <p>Cost is about n (T L + R (2C)^2) dot products for T trees of leaf size L, R rounds and
 * C candidates; memory beyond the data is n (k ints + k floats + k bytes + 2C ints).
 *
 * <p>Deterministic for a seed although rounds run in parallel: within a round every list only
 * keeps the best of what it is offered (ties broken by id), which does not depend on the order
 * of the offers, and all random choices are hashes of the seed, round and item ids.
 */
final class NeighbourSearch {
    static final int TREES = 2, LEAF = 48, CANDIDATES = 12, MAX_ROUNDS = 10;
    /** Stop when fewer than this share of list entries changed in a round. */
    static final double DELTA = 0.002;
    private static final int LOCKS = 4096;
    private static final byte OLD = 0, NEW = 1, INSERTED = 2;

    private final float[][] x;
    private final int n, k;
    private final long seed;
    /** Row i's list at [i k, (i + 1) k): a min-heap on (similarity, -id), worst entry first. */
    private final int[] ids;
    private final float[] sims;
    private final byte[] flags;
    private final Object[] locks = new Object[LOCKS];

    private NeighbourSearch(float[][] x, int k, long seed) {
        this.x = x;
        this.n = x.length;
        this.k = k;
        this.seed = seed;
        ids = new int[n * k];
        sims = new float[n * k];
        flags = new byte[n * k];
        Arrays.fill(ids, -1);
        Arrays.fill(sims, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < LOCKS; i++) locks[i] = new Object();
    }

    /** The approximate k most similar rows of every row, most similar first; never the row itself. */
    static NeighbourGraph approximate(float[][] x, int k, long seed) {
        int kk = Math.max(0, Math.min(k, x.length - 1));
        NeighbourSearch s = new NeighbourSearch(x, kk, seed);
        if (kk > 0) s.run();
        return s.graph();
    }

    private void run() {
        for (int tree = 0; tree < TREES; tree++) {
            int[] idx = IntStream.range(0, n).toArray();
            new Split(idx, 0, n, mix(seed, tree, 0, 0)).invoke(); // runs here too, so both cores split
        }
        // small leaves or many identical rows can leave lists short: fill them at random
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom rnd = new SplittableRandom(mix(seed, -1, i, 0));
            while (sims[i * k] == Float.NEGATIVE_INFINITY) {
                int j = rnd.nextInt(n);
                if (j != i) offer(i, j, dot(x[i], x[j]));
            }
        });
        for (int e = 0; e < flags.length; e++) flags[e] = NEW;
        int[] fresh = new int[n * CANDIDATES], old = new int[n * CANDIDATES];
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            sample(round, fresh, old);
            IntStream.range(0, n).parallel().forEach(i -> join(i, fresh, old));
            long changed = 0;
            for (int e = 0; e < flags.length; e++) {
                if (flags[e] == INSERTED) {
                    flags[e] = NEW;
                    changed++;
                }
            }
            if (changed <= DELTA * n * k) break;
        }
    }

    /**
     * Per item, up to C new and C old candidates drawn from its forward and reverse lists by a
     * random priority; sampled new entries become old so they are joined only once.
     */
    private void sample(int round, int[] fresh, int[] old) {
        Arrays.fill(fresh, -1);
        Arrays.fill(old, -1);
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int e = i * k; e < (i + 1) * k; e++) {
                int j = ids[e];
                int[] c = flags[e] == OLD ? old : fresh;
                push(c, i, j, round);
                push(c, j, i, round);
            }
        });
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int e = i * k; e < (i + 1) * k; e++) {
                if (flags[e] == NEW && contains(fresh, i * CANDIDATES, CANDIDATES, ids[e])) flags[e] = OLD;
            }
        });
    }

    /** Keeps in c's row i the C candidates of lowest priority (a max-heap on priority). */
    private void push(int[] c, int i, int j, int round) {
        int base = i * CANDIDATES;
        long p = priority(round, i, j);
        synchronized (locks[i & (LOCKS - 1)]) {
            if (contains(c, base, CANDIDATES, j)) return;
            if (c[base] >= 0) {
                long q = priority(round, i, c[base]);
                if (p > q || (p == q && j > c[base])) return;
            }
            c[base] = j;
            int at = 0;
            while (true) { // sift down
                int l = 2 * at + 1, r = l + 1, m = at;
                if (l < CANDIDATES && higher(c, base, l, m, round, i)) m = l;
                if (r < CANDIDATES && higher(c, base, r, m, round, i)) m = r;
                if (m == at) return;
                int t = c[base + at]; c[base + at] = c[base + m]; c[base + m] = t;
                at = m;
            }
        }
    }

    /** An empty slot (-1) ranks above everything, so it is replaced first. */
    private boolean higher(int[] c, int base, int a, int b, int round, int i) {
        int ja = c[base + a], jb = c[base + b];
        if (jb < 0) return false;
        if (ja < 0) return true;
        long pa = priority(round, i, ja), pb = priority(round, i, jb);
        return pa > pb || (pa == pb && ja > jb);
    }

    private long priority(int round, int i, int j) {
        // symmetric in i and j, so an edge has one priority in both directions
        return mix(seed, round, Math.min(i, j), Math.max(i, j));
    }

    private void join(int i, int[] fresh, int[] old) {
        int b = i * CANDIDATES;
        for (int u = b; u < b + CANDIDATES; u++) {
            int p = fresh[u];
            if (p < 0) continue;
            float[] xp = x[p];
            for (int v = u + 1; v < b + CANDIDATES; v++) {
                int q = fresh[v];
                if (q >= 0) update(p, q, dot(xp, x[q]));
            }
            for (int v = b; v < b + CANDIDATES; v++) {
                int q = old[v];
                if (q >= 0 && q != p) update(p, q, dot(xp, x[q]));
            }
        }
    }

    private void update(int p, int q, float s) {
        // racy reads of the worst similarity only skip offers that would be refused anyway: it only grows
        if (s >= sims[p * k]) offer(p, q, s);
        if (s >= sims[q * k]) offer(q, p, s);
    }

    /** Offers j to i's list; keeps the k best by (similarity, lower id) whatever the order of offers. */
    private void offer(int i, int j, float s) {
        int base = i * k;
        synchronized (locks[i & (LOCKS - 1)]) {
            if (!better(s, j, sims[base], ids[base])) return;
            if (contains(ids, base, k, j)) return;
            ids[base] = j;
            sims[base] = s;
            flags[base] = INSERTED;
            int at = 0;
            while (true) {
                int l = 2 * at + 1, r = l + 1, m = at;
                if (l < k && !better(sims[base + l], ids[base + l], sims[base + m], ids[base + m])) m = l;
                if (r < k && !better(sims[base + r], ids[base + r], sims[base + m], ids[base + m])) m = r;
                if (m == at) return;
                swap(base + at, base + m);
                at = m;
            }
        }
    }

    private static boolean better(float s, int j, float t, int l) {
        return s > t || (s == t && j < l);
    }

    private void swap(int a, int b) {
        int ti = ids[a]; ids[a] = ids[b]; ids[b] = ti;
        float ts = sims[a]; sims[a] = sims[b]; sims[b] = ts;
        byte tf = flags[a]; flags[a] = flags[b]; flags[b] = tf;
    }

    private static boolean contains(int[] a, int from, int len, int v) {
        for (int e = from; e < from + len; e++) if (a[e] == v) return true;
        return false;
    }

    private NeighbourGraph graph() {
        int[][] gi = new int[n][];
        float[][] gs = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            NeighbourGraph.TopK top = new NeighbourGraph.TopK(k);
            for (int e = i * k; e < (i + 1) * k; e++) top.offer(ids[e], sims[e]);
            top.sortDescending();
            gi[i] = top.ids;
            gs[i] = top.sims;
        });
        return new NeighbourGraph(gi, gs);
    }

    /** Splits rows by the hyperplane halfway between two random rows, down to leaves whose rows are all compared. */
    private final class Split extends RecursiveAction {
        private final int[] idx;
        private final int lo, hi;
        private final long node;

        Split(int[] idx, int lo, int hi, long node) {
            this.idx = idx;
            this.lo = lo;
            this.hi = hi;
            this.node = node;
        }

        @Override
        protected void compute() {
            int m = hi - lo;
            if (m <= LEAF) {
                for (int a = lo; a < hi; a++) {
                    for (int b = a + 1; b < hi; b++) update(idx[a], idx[b], dot(x[idx[a]], x[idx[b]]));
                }
                return;
            }
            SplittableRandom rnd = new SplittableRandom(node);
            int a = idx[lo + rnd.nextInt(m)], b = idx[lo + rnd.nextInt(m)];
            float[] xa = x[a], xb = x[b];
            int mid = lo;
            if (a != b) {
                float[] normal = new float[xa.length];
                for (int t = 0; t < normal.length; t++) normal[t] = xa[t] - xb[t];
                for (int e = lo; e < hi; e++) {
                    if (dot(normal, x[idx[e]]) > 0) {
                        int t = idx[e]; idx[e] = idx[mid]; idx[mid] = t;
                        mid++;
                    }
                }
            }
            // identical rows cannot be separated by any plane: halve them instead
            if (mid == lo || mid == hi) mid = lo + m / 2;
            Split left = new Split(idx, lo, mid, mix(node, 1, 0, 0)), right = new Split(idx, mid, hi, mix(node, 2, 0, 0));
            if (m > 4096) invokeAll(left, right);
            else {
                left.compute();
                right.compute();
            }
        }
    }

    /** Dot product with four accumulators: the JIT does not reorder a float sum, so split it for throughput. */
    static float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int d = a.length, t = 0;
        for (; t + 3 < d; t += 4) {
            s0 += a[t] * b[t];
            s1 += a[t + 1] * b[t + 1];
            s2 += a[t + 2] * b[t + 2];
            s3 += a[t + 3] * b[t + 3];
        }
        for (; t < d; t++) s0 += a[t] * b[t];
        return (s0 + s1) + (s2 + s3);
    }

    private static long mix(long a, long b, long c, long d) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + c;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL + d;
        h = (h ^ (h >>> 32)) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
