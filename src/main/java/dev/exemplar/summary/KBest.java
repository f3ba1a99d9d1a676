package dev.exemplar.summary;

import dev.exemplar.features.Kernels;
import java.util.Arrays;

/**
 * The k best (most similar) candidates of each of n rows, in two flat arrays: row i's list is
 * [i k, (i + 1) k), a min-heap on (similarity, -id), so its worst entry is first. A list keeps the
 * k best of what it is offered whatever the order of the offers (ties go to the lower id), so
 * searches that offer in parallel stay deterministic. Not synchronised: a list must have one
 * writer at a time.
 */
final class KBest {
    final int n, k;
    final int[] ids;
    final float[] sims;

    KBest(int n, int k) {
        this.n = n;
        this.k = k;
        ids = new int[n * k];
        sims = new float[n * k];
        Arrays.fill(ids, -1);
        Arrays.fill(sims, Float.NEGATIVE_INFINITY);
    }

    /** Offers j with similarity s to i's list; true if it was taken. */
    boolean offer(int i, int j, float s) {
        if (k == 0) return false;
        int base = i * k;
        if (!better(s, j, sims[base], ids[base])) return false;
        for (int e = base; e < base + k; e++) if (ids[e] == j) return false;
        ids[base] = j;
        sims[base] = s;
        int at = 0;
        while (true) {
            int l = 2 * at + 1, r = l + 1, m = at;
            if (l < k && !better(sims[base + l], ids[base + l], sims[base + m], ids[base + m])) m = l;
            if (r < k && !better(sims[base + r], ids[base + r], sims[base + m], ids[base + m])) m = r;
            if (m == at) return true;
            int ti = ids[base + at]; ids[base + at] = ids[base + m]; ids[base + m] = ti;
            float ts = sims[base + at]; sims[base + at] = sims[base + m]; sims[base + m] = ts;
            at = m;
        }
    }

    static boolean better(float s, int j, float t, int l) {
        return s > t || (s == t && j < l);
    }

    /** Offers a tile's row to the query's list, except the query itself. */
    final Tiles.Sink sink = this::offerRow;

    private void offerRow(int query, int[] candidates, int c0, float[] s, int from, int count) {
        int base = query * k;
        if (k == 0) return;
        // most similarities of a tile are below the list's worst: skip to the next that is not, a vector at a time
        for (int t = Kernels.firstAtLeast(s, from, from + count, sims[base]) - from; t < count;
             t = Kernels.firstAtLeast(s, from + t + 1, from + count, sims[base]) - from) {
            int j = candidates[c0 + t];
            float v = s[from + t];
            if (j != query && better(v, j, sims[base], ids[base])) offer(query, j, v);
        }
    }

    /** How many entries of i's list are filled. */
    int size(int i) {
        int c = 0;
        for (int e = i * k; e < (i + 1) * k; e++) if (ids[e] >= 0) c++;
        return c;
    }

    /** Sorts i's list most similar first (ties by id); it is no longer a heap after this. */
    void sortInPlace(int i) {
        int base = i * k, m = 0;
        long[] keys = new long[k];
        for (int e = base; e < base + k; e++) if (ids[e] >= 0) keys[m++] = key(sims[e], ids[e]);
        Arrays.sort(keys, 0, m);
        for (int t = 0; t < k; t++) {
            if (t < m) {
                ids[base + t] = (int) keys[t];
                sims[base + t] = simOf(keys[t]);
            } else {
                ids[base + t] = -1;
                sims[base + t] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** i's list most similar first (ties by id), into fresh arrays. */
    void sorted(int i, int[][] idsOut, float[][] simsOut) {
        int base = i * k, m = 0;
        long[] keys = new long[k];
        for (int e = base; e < base + k; e++) if (ids[e] >= 0) keys[m++] = key(sims[e], ids[e]);
        Arrays.sort(keys, 0, m);
        int[] oi = new int[m];
        float[] os = new float[m];
        for (int t = 0; t < m; t++) {
            oi[t] = (int) keys[t];
            os[t] = simOf(keys[t]);
        }
        idsOut[i] = oi;
        simsOut[i] = os;
    }

    /** Most similar first, then the lower id: the float's bits made to sort as signed ints, descending. */
    private static long key(float s, int id) {
        int bits = Float.floatToIntBits(s);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) ~bits << 32) | id;
    }

    private static float simOf(long key) {
        int bits = ~(int) (key >>> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }
}
