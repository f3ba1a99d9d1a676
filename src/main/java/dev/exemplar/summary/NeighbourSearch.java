package dev.exemplar.summary;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Approximate k-nearest neighbours of unit rows: rows are grouped into the cells of a
 * {@link Partition}, and within each cell the members are compared with the members and guests,
 * then the guests with the members, a tile at a time; every row keeps the k most similar rows it
 * met. The cost is n (n / leaf) d for finding the cells (the nearest of n / leaf centres) and about
 * 3 n leaf d for the cells, all in tiles that stay in the caches; every row is read a few times.
 *
 * <p>Measured on 1,281,167 x 256 clustered rows against NN-descent, which compares neighbours of
 * neighbours pair by pair: a pair read from random places in memory cost about a microsecond, 40
 * times its dot product, and NN-descent needed hundreds of such pairs per row.
 *
 * <p>Deterministic for a seed although cells run in parallel: in each of the two passes a row is
 * the query of one cell only, so its list has one writer, and a list keeps the best of what it is
 * offered whatever the order (ties to the lower id).
 */
final class NeighbourSearch {
    static final int LEAF = 512;
    static final boolean TRACE = Boolean.getBoolean("exemplar.trace");

    private NeighbourSearch() { }

    /** The process's CPU time at the last trace line, in nanoseconds. */
    private static final AtomicLong TRACED_CPU = new AtomicLong();

    /** With -Dexemplar.trace=true, a step's wall seconds and the process's CPU seconds since the last line. */
    static void trace(String step, long since) {
        if (!TRACE) return;
        long cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.err.printf("%s %.2f s, cpu %.2f s%n", step, (System.nanoTime() - since) / 1e9, (cpu - TRACED_CPU.getAndSet(cpu)) / 1e9);
    }

    /** The approximate k most similar rows of every row, most similar first; never the row itself. */
    static NeighbourGraph approximate(Rows x, int k, long seed) {
        return approximate(x, k, seed, LEAF);
    }

    static NeighbourGraph approximate(Rows x, int k, long seed, int leaf) {
        int n = x.size(), kk = Math.max(0, Math.min(k, n - 1));
        KBest best = new KBest(n, kk);
        long t0 = System.nanoTime();
        Partition p = Partition.build(x, Math.max(leaf, kk + 1), seed);
        trace("partition", t0);
        if (kk > 0) {
            long t1 = System.nanoTime();
            IntStream.range(0, p.cells()).parallel().forEach(c -> {
                int m0 = p.memberStart[c], m1 = p.memberStart[c + 1], g0 = p.guestStart[c], g1 = p.guestStart[c + 1];
                int[] all = new int[m1 - m0 + g1 - g0];
                System.arraycopy(p.members, m0, all, 0, m1 - m0);
                System.arraycopy(p.guests, g0, all, m1 - m0, g1 - g0);
                Tiles.scratch().compare(x, all, 0, m1 - m0, x, all, 0, all.length, best.sink);
            });
            trace("members", t1);
            long t2 = System.nanoTime();
            IntStream.range(0, p.cells()).parallel().forEach(c -> Tiles.scratch().compare(
                    x, p.guests, p.guestStart[c], p.guestStart[c + 1], x, p.members, p.memberStart[c], p.memberStart[c + 1], best.sink));
            trace("guests", t2);
            // a row of a cell with fewer than k other rows (or among many identical rows) is compared with a sample too
            int[] shortLists = IntStream.range(0, n).filter(i -> best.size(i) < kk).toArray();
            if (shortLists.length > 0) {
                int[] sample = Partition.sample(n, Math.min(n, Math.max(LEAF, 4 * kk)), new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L));
                int chunk = Tiles.ROWS;
                IntStream.range(0, (shortLists.length + chunk - 1) / chunk).parallel().forEach(c -> Tiles.scratch().compare(
                        x, shortLists, c * chunk, Math.min(shortLists.length, (c + 1) * chunk), x, sample, 0, sample.length, best.sink));
            }
        }
        return NeighbourGraph.of(best, p);
    }
}
