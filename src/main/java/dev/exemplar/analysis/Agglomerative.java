package dev.exemplar.analysis;

import dev.exemplar.features.Kernels;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact agglomerative clustering with cosine distance (1 - cosine of unit vectors) by the
 * nearest-neighbour chain algorithm: O(m^2) time and one condensed m(m-1)/2 distance matrix, for
 * linkages whose merges never come closer than earlier ones (complete and average), so that the
 * merges it finds are those of the textbook closest-pair-first algorithm.
 */
final class Agglomerative {
    enum Linkage {
        /** a cluster's distance to another is the largest distance between their members */
        COMPLETE,
        /** ... the mean distance between their members */
        AVERAGE
    }

    /** Two clusters joined at a height, each named by one of its members (indices into the rows given). */
    record Merge(int a, int b, float height) { }

    private Agglomerative() { }

    /** The m - 1 merges of the rows of x (unit vectors), in the order the chain found them (not sorted by height). */
    static Merge[] merges(float[][] x, Linkage linkage) {
        int m = x.length;
        if (m < 2) return new Merge[0];
        float[] d = distances(x);
        int[] size = new int[m];
        Arrays.fill(size, 1);
        boolean[] active = new boolean[m];
        Arrays.fill(active, true);
        int[] chain = new int[m];
        int top = 0, left = m;
        Merge[] out = new Merge[m - 1];
        int made = 0;
        while (left > 1) {
            if (top == 0) {
                int first = 0;
                while (!active[first]) first++;
                chain[top++] = first;
            }
            int a = chain[top - 1], prev = top > 1 ? chain[top - 2] : -1;
            // the nearest active cluster; a tie goes to the previous link of the chain, which guarantees progress
            int b = prev;
            float best = prev >= 0 ? d[index(a, prev, m)] : Float.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (j == a || !active[j]) continue;
                float v = d[index(a, j, m)];
                if (v < best) {
                    best = v;
                    b = j;
                }
            }
            if (b != prev) {
                chain[top++] = b;
                continue;
            }
            top -= 2; // a and b are each other's nearest: merge b into a
            out[made++] = new Merge(a, b, best);
            for (int k = 0; k < m; k++) {
                if (!active[k] || k == a || k == b) continue;
                int ak = index(a, k, m), bk = index(b, k, m);
                d[ak] = linkage == Linkage.COMPLETE ? Math.max(d[ak], d[bk])
                        : (float) ((size[a] * (double) d[ak] + size[b] * (double) d[bk]) / (size[a] + size[b]));
            }
            size[a] += size[b];
            active[b] = false;
            left--;
        }
        return out;
    }

    /** Condensed cosine distances of unit rows, computed in parallel; rounding below 0 is clamped. */
    static float[] distances(float[][] x) {
        int m = x.length;
        long cells = (long) m * (m - 1) / 2;
        if (cells > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(m + " rows are too many for one distance matrix");
        float[] d = new float[(int) cells];
        IntStream.range(0, m).parallel().forEach(i -> {
            for (int j = i + 1; j < m; j++) d[index(i, j, m)] = Math.max(0, 1 - Kernels.dot(x[i], x[j]));
        });
        return d;
    }

    static int index(int i, int j, int m) {
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        return (int) ((long) i * m - (long) i * (i + 1) / 2 + (j - i - 1));
    }
}
