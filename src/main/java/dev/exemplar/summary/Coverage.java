package dev.exemplar.summary;

/**
 * How much of a collection a summary of each size covers, by the similarity the order was built on.
 * An item counts as covered by the first k items of the order when it is one of them or one of them
 * represents it at least {@link #LEVEL}: its facility-location weight to that item (the locally
 * scaled similarity the greedy maximises) reaches one half, the same half the automatic size uses.
 * So the share reaches about 1 at the automatic size, where every later item is more represented than new.
 *
 * <p>One pass over the neighbour lists (n times their degree), never over all pairs: a pair outside
 * both items' lists has no weight in the greedy either.
 */
public final class Coverage {
    /** The weight from which an item counts as represented. */
    public static final double LEVEL = SummarySize.NEW_HALF;

    /** covered[k]: how many items the first k of the order cover, for k = 0 .. n. */
    private final int[] covered;

    private Coverage(int[] covered) {
        this.covered = covered;
    }

    /** The coverage of an order of n items from its neighbour lists, numbered by rank (as {@link Pipeline.Run#neighbours()}). */
    public static Coverage of(Pipeline.Neighbours neighbours, int n) {
        return of(neighbours, n, Pipeline.SCALE_NEIGHBOUR, LEVEL);
    }

    static Coverage of(Pipeline.Neighbours g, int n, int scaleNeighbour, double level) {
        int d = g.degree();
        int[] ids = g.ids();
        float[] sims = g.similarities();
        // the earliest rank that covers each item: its own, or that of a neighbour close enough
        int[] from = new int[n];
        for (int r = 0; r < n; r++) from[r] = r;
        for (int r = 0; d > 0 && r < n; r++) {
            double sigma = SimilarityGraph.scale(sims[r * d + Math.min(scaleNeighbour, d) - 1]);
            for (int t = 0; t < d; t++) {
                int s = ids[r * d + t];
                if (s < 0 || s >= n || s == r || SimilarityGraph.weight(sims[r * d + t], sigma) < level) continue;
                // the greedy's weight of a pair is the larger of its two sides', so one side reaching the level covers both ways
                from[r] = Math.min(from[r], s);
                from[s] = Math.min(from[s], r);
            }
        }
        int[] covered = new int[n + 1];
        for (int r = 0; r < n; r++) covered[from[r] + 1]++;
        for (int k = 1; k <= n; k++) covered[k] += covered[k - 1];
        return new Coverage(covered);
    }

    /** The number of items of the order. */
    public int items() {
        return covered.length - 1;
    }

    /** How many items the first k cover (k is clamped to 0 .. n). */
    public int covered(int k) {
        return covered[Math.max(0, Math.min(k, items()))];
    }

    /** The share of the items the first k cover: 0 .. 1 (1 for an empty collection). */
    public double share(int k) {
        return items() == 0 ? 1 : (double) covered(k) / items();
    }

    /** The smallest summary size that covers at least this share of the items; -1 when no size does. */
    public int sizeFor(double share) {
        long needed = (long) Math.ceil(share * items() - 1e-9);
        for (int k = 0; k <= items(); k++) if (covered[k] >= needed) return k;
        return -1;
    }
}
