package dev.exemplar.summary;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.Kernels;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Links every constituent to the few delegates that together represent it best: non-negative
 * orthogonal matching pursuit over its nearest delegates, so a second or third delegate is added
 * only when it explains a real part of the image that the first misses.
 */
final class Links {
    /**
     * Per item (null for delegates): delegate item indices, strongest first, and weights summing to 1;
     * and the nearest delegates it was chosen from, most similar first, with their cosine similarity.
     */
    record Table(int[][] delegates, double[][] weights, int[][] candidates, float[][] similarities) { }

    static final int CANDIDATES = 10;
    /**
     * Up to this many multiply-adds (constituents x delegates x d) every constituent is compared
     * with every delegate, a tile at a time: about half a second on two cores, and exact.
     */
    static final double BRUTE_FORCE_MAX = 2e10;
    /** An extra delegate must cut the residual by this share of the constituent's norm. */
    static final double MIN_GAIN = 0.02;

    private Links() { }

    /** The nearest delegates of a constituent, most similar first, with their similarities. */
    record Candidates(int[][] ids, float[][] sims) {
        int[] of(int constituent) {
            return ids[constituent];
        }
    }

    static boolean bruteForce(int n, int summarySize, int d) {
        return (double) summarySize * (n - summarySize) * d <= BRUTE_FORCE_MAX;
    }

    /**
     * Every delegate for small collections. For large ones, the delegates a constituent shares a cell
     * with in the partition of the neighbour search (cells hold most near pairs, and a constituent's
     * nearest delegates are near it), and the delegates among its neighbours, whose similarities the
     * graph already holds. No second graph over the delegates, and every comparison in tiles.
     */
    static Candidates candidates(Rows x, int[] order, int summarySize, NeighbourGraph graph) {
        return candidates(x, order, summarySize, graph, bruteForce(x.size(), summarySize, x.dim()));
    }

    static Candidates candidates(Rows x, int[] order, int summarySize, NeighbourGraph graph, boolean bruteForce) {
        int n = x.size(), kk = Math.min(CANDIDATES, summarySize);
        KBest best = new KBest(n, kk);
        int[] delegates = Arrays.copyOf(order, summarySize), constituents = Arrays.copyOfRange(order, summarySize, n);
        if (kk > 0 && constituents.length > 0) {
            if (bruteForce) {
                int chunk = Tiles.ROWS;
                IntStream.range(0, (constituents.length + chunk - 1) / chunk).parallel().forEach(c -> Tiles.scratch().compare(
                        x, constituents, c * chunk, Math.min(constituents.length, (c + 1) * chunk), x, delegates, 0, summarySize, best.sink));
            } else {
                boolean[] delegate = new boolean[n];
                for (int i : delegates) delegate[i] = true;
                Partition p = graph.partition() != null ? graph.partition() : Partition.build(x, NeighbourSearch.LEAF, NeighbourGraph.SEED);
                // constituents that are members of a cell against its delegates, then those that are guests against its member
                // delegates: in each pass a constituent is in one cell, so its list has one writer
                IntStream.range(0, p.cells()).parallel().forEach(c -> {
                    int[] members = split(p.members, p.memberStart[c], p.memberStart[c + 1], delegate);
                    int[] guests = split(p.guests, p.guestStart[c], p.guestStart[c + 1], delegate);
                    int md = members[members.length - 1], gd = guests[guests.length - 1];
                    int[] ds = new int[md + gd];
                    System.arraycopy(members, 0, ds, 0, md);
                    System.arraycopy(guests, 0, ds, md, gd);
                    Tiles.scratch().compare(x, members, md, members.length - 1, x, ds, 0, ds.length, best.sink);
                });
                IntStream.range(0, p.cells()).parallel().forEach(c -> {
                    int[] members = split(p.members, p.memberStart[c], p.memberStart[c + 1], delegate);
                    int[] guests = split(p.guests, p.guestStart[c], p.guestStart[c + 1], delegate);
                    int md = members[members.length - 1], gd = guests[guests.length - 1];
                    Tiles.scratch().compare(x, guests, gd, guests.length - 1, x, members, 0, md, best.sink);
                });
                IntStream.range(0, constituents.length).parallel().forEach(r -> {
                    int c = constituents[r];
                    for (int t = 0; t < graph.degree(); t++) {
                        int j = graph.neighbour(c, t);
                        if (delegate[j]) best.offer(c, j, graph.similarity(c, t));
                    }
                });
                // and the delegates that list it among their neighbours (one pass, so each list has one writer)
                for (int dl : delegates) {
                    for (int t = 0; t < graph.degree(); t++) {
                        int j = graph.neighbour(dl, t);
                        if (!delegate[j]) best.offer(j, dl, graph.similarity(dl, t));
                    }
                }
            }
        }
        // a constituent that met no delegate (rare: its cells hold a tenth of delegates) is compared with all of them
        int[] alone = Arrays.stream(constituents).filter(c -> kk > 0 && best.size(c) == 0).toArray();
        int chunk = Tiles.ROWS;
        IntStream.range(0, (alone.length + chunk - 1) / chunk).parallel().forEach(c -> Tiles.scratch().compare(
                x, alone, c * chunk, Math.min(alone.length, (c + 1) * chunk), x, delegates, 0, summarySize, best.sink));
        int[][] ids = new int[n][];
        float[][] sims = new float[n][];
        IntStream.range(0, constituents.length).parallel().forEach(r -> best.sorted(constituents[r], ids, sims));
        return new Candidates(ids, sims);
    }

    /** A cell's rows, delegates first, then constituents, then (the last entry) how many delegates there are. */
    private static int[] split(int[] rows, int from, int to, boolean[] delegate) {
        int[] out = new int[to - from + 1];
        int nd = 0, nc = to - from;
        for (int e = from; e < to; e++) {
            if (delegate[rows[e]]) out[nd++] = rows[e];
            else out[--nc] = rows[e];
        }
        out[to - from] = nd;
        return out;
    }

    static Table build(Rows x, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph, Progress progress) {
        return build(x, order, summarySize, maxDelegates, graph, progress, bruteForce(x.size(), summarySize, x.dim()));
    }

    static Table build(Rows x, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph, Progress progress,
                       boolean bruteForce) {
        int n = x.size();
        int[][] ds = new int[n][];
        double[][] ws = new double[n][];
        progress.phase("links", n - summarySize);
        Candidates candidates = candidates(x, order, summarySize, graph, bruteForce);
        // constituents cell by cell where there are cells: they share candidates, whose rows then come from the caches
        Partition p = graph.partition();
        int[] byCell = p != null && p.members.length == n ? p.members : Arrays.copyOfRange(order, summarySize, n);
        IntStream.range(0, byCell.length).parallel().forEach(r -> {
            int c = byCell[r];
            if (candidates.ids()[c] == null) return; // a delegate
            int[] near = candidates.ids()[c];
            float[] sims = candidates.sims()[c];
            NonNegativeOmp.Solution sol = pursue(x, c, near, sims, maxDelegates);
            if (sol.atoms().length == 0) { // nothing reconstructs it: the nearest delegate still represents it
                ds[c] = new int[] {near[0]};
                ws[c] = new double[] {1.0};
            } else {
                double sum = Arrays.stream(sol.coefficients()).sum();
                ds[c] = new int[sol.atoms().length];
                ws[c] = new double[sol.atoms().length];
                for (int t = 0; t < sol.atoms().length; t++) {
                    ds[c][t] = near[sol.atoms()[t]];
                    ws[c][t] = sol.coefficients()[t] / sum;
                }
            }
            progress.advance(1);
        });
        return new Table(ds, ws, candidates.ids(), candidates.sims());
    }

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[0][]);

    /** A thread's buffers for rows read from a file: the pursuit reads a constituent's and its candidates'. */
    private static float[][] buffers(int count, int d) {
        float[][] b = BUFFERS.get();
        if (b.length < count || b[0].length != d) {
            b = new float[Math.max(count, b.length)][d];
            BUFFERS.set(b);
        }
        return b;
    }

    /** The pursuit from inner products: the constituent's with its candidates are their similarities already. */
    private static NonNegativeOmp.Solution pursue(Rows x, int c, int[] near, float[] sims, int maxDelegates) {
        int m = near.length;
        double[] b = new double[m];
        double[][] gram = new double[m][m];
        float[][] buffers = buffers(m + 1, x.dim()), rows = new float[m][];
        for (int i = 0; i < m; i++) {
            b[i] = sims[i];
            rows[i] = x.row(near[i], buffers[i]);
            for (int j = 0; j <= i; j++) {
                gram[i][j] = gram[j][i] = Embeddings.similarity(Kernels.dot(rows[i], rows[j]), x.descriptorOnly(rows[i]), x.descriptorOnly(rows[j]));
            }
        }
        float[] row = x.row(c, buffers[m]);
        return NonNegativeOmp.solve(Kernels.dot(row, row), b, gram, maxDelegates, MIN_GAIN);
    }
}
