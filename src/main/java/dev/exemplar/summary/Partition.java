package dev.exemplar.summary;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Rows grouped into cells around about n / leaf centres (an inverted file): every row is a member
 * of the cell of its most similar centre and a guest of the cell of its second, so pairs near a
 * border still meet. Similar rows mostly share a cell, so comparing within cells finds most
 * nearest neighbours, a tile at a time.
 *
 * <p>Why centres and not random-projection trees: on 1,281,167 x 256 rows of 1,000 classes,
 * where rows of a class are as spread along any one direction as the classes are, two trees of
 * leaves of 512 found 6% of the true 10 nearest; no cut across one direction keeps a class
 * together, while the nearest of a few thousand centres does. The centres are random rows moved
 * by one round of spherical k-means on a sample.
 */
final class Partition {
    /** Cell c's members are members[memberStart[c] .. memberStart[c + 1]), its guests likewise. */
    final int[] memberStart, members, guestStart, guests;

    private Partition(int[] memberStart, int[] members, int[] guestStart, int[] guests) {
        this.memberStart = memberStart;
        this.members = members;
        this.guestStart = guestStart;
        this.guests = guests;
    }

    int cells() {
        return memberStart.length - 1;
    }

    /** Sampled rows per centre, and rounds of k-means on them. */
    static final int SAMPLE = 16, ROUNDS = 5;

    static Partition build(Rows x, int leaf, long seed) {
        if (x.size() == 0) return new Partition(new int[1], new int[0], new int[1], new int[0]);
        int n = x.size(), cells = Math.max(1, Math.min(n, (int) Math.round((double) n / leaf)));
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] centres = new float[cells][];
        int[] pick = sample(n, cells, rnd);
        for (int c = 0; c < cells; c++) centres[c] = x.copy(pick[c]);
        // rounds of spherical k-means on a sample: centres move to where rows are dense, and a class with no centre
        // gathers into the one that took most of it (a cell may hold several classes; what matters is that it holds them whole)
        int[] sampled = sample(n, Math.min(n, SAMPLE * cells), rnd);
        int d = x.dim();
        float[] buffer = new float[d];
        for (int round = 0; round < ROUNDS; round++) {
            int[][] near = nearestTwo(x, sampled, centres);
            float[][] sums = new float[cells][d];
            for (int s = 0; s < sampled.length; s++) {
                float[] row = x.row(sampled[s], buffer), sum = sums[near[0][s]];
                for (int t = 0; t < d; t++) sum[t] += row[t];
            }
            for (int c = 0; c < cells; c++) {
                double norm = 0;
                for (float v : sums[c]) norm += v * v;
                if (norm == 0) continue; // no sampled row here: the centre stays
                float inv = (float) (1 / Math.sqrt(norm));
                for (int t = 0; t < d; t++) centres[c][t] = sums[c][t] * inv;
            }
        }
        int[] all = IntStream.range(0, n).toArray();
        int[][] best = nearestTwo(x, all, centres);
        int[] memberStart = new int[cells + 1], guestStart = new int[cells + 1];
        int[] members = group(best[0], cells, memberStart), guests = group(best[1], cells, guestStart);
        return new Partition(memberStart, members, guestStart, guests);
    }

    /** k distinct indices below n, a seeded partial shuffle. */
    static int[] sample(int n, int k, SplittableRandom rnd) {
        int[] idx = IntStream.range(0, n).toArray();
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return Arrays.copyOf(idx, k);
    }

    /**
     * For each listed row, its most similar centre and its second (-1 when there is one centre).
     * (Shortlisting the centres on a 64-value random projection first cost as much at 400,000 rows,
     * the shortlist's bookkeeping eating the saving, and lost a seventh of the true neighbours.)
     */
    private static int[][] nearestTwo(Rows x, int[] rows, float[][] centres) {
        int m = rows.length;
        int[] first = new int[m], second = new int[m];
        float[] s1 = new float[m], s2 = new float[m];
        Arrays.fill(first, -1);
        Arrays.fill(second, -1);
        Arrays.fill(s1, Float.NEGATIVE_INFINITY);
        Arrays.fill(s2, Float.NEGATIVE_INFINITY);
        Rows byPosition = x.select(rows), byCentre = Rows.of(centres);
        int[] local = IntStream.range(0, m).toArray(), ids = IntStream.range(0, centres.length).toArray();
        int chunk = 16 * Tiles.ROWS;
        IntStream.range(0, (m + chunk - 1) / chunk).parallel().forEach(c -> Tiles.scratch().compare(
                byPosition, local, c * chunk, Math.min(m, (c + 1) * chunk), byCentre, ids, 0, ids.length,
                (q, cand, c0, s, from, count) -> {
                    for (int t = 0; t < count; t++) {
                        float v = s[from + t];
                        if (v <= s2[q]) continue;
                        int j = cand[c0 + t];
                        if (v > s1[q]) {
                            s2[q] = s1[q];
                            second[q] = first[q];
                            s1[q] = v;
                            first[q] = j;
                        } else {
                            s2[q] = v;
                            second[q] = j;
                        }
                    }
                }));
        return new int[][] {first, second};
    }

    /** Rows by cell (a counting sort, rows in increasing order within a cell); cell -1 holds nothing. */
    private static int[] group(int[] cellOf, int cells, int[] start) {
        for (int c : cellOf) if (c >= 0) start[c + 1]++;
        for (int c = 0; c < cells; c++) start[c + 1] += start[c];
        int[] out = new int[start[cells]], fill = Arrays.copyOf(start, cells);
        for (int i = 0; i < cellOf.length; i++) if (cellOf[i] >= 0) out[fill[cellOf[i]]++] = i;
        return out;
    }
}
