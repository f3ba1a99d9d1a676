package dev.exemplar.propagation;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What to label next once some labels are known: the items whose label would settle the most that is still
 * uncertain around them. An item's gain is its own doubt plus its neighbours' (1 minus the confidence of the label
 * spread to each, 1 where none reached), each weighted by the same kernel the spreading uses, so an item in a
 * region no label has reached comes before one beside items already confidently labelled. Delegates come first
 * while any is left, as in the summary queue, and among equal gains the summary order decides.
 *
 * <p>Cost: one pass over the neighbour lists and a sort of the candidates, per batch.
 */
public final class AdaptiveQueue {
    /** Labels per batch, as a share of the items that can be labelled: the queue is ordered again after each. */
    static final double BATCH_SHARE = 0.01;

    private AdaptiveQueue() { }

    /** Labels per batch among this many items that can be labelled: 1%, at least one. */
    public static int batch(int items) {
        return Math.max(1, (int) Math.ceil(items * BATCH_SHARE));
    }

    /**
     * The next {@code count} items to label, by position in the order: among the {@code candidates} (items that can
     * be labelled, not labelled yet), delegates first (positions below {@code summarySize}), by gain.
     *
     * @param confidence per item, the confidence of its spread label (1 for a labelled item, 0 where none reached)
     */
    public static int[] next(int degree, int[] neighbours, float[] similarities, double[] confidence, boolean[] candidates,
                             int summarySize, int count) {
        int n = confidence.length;
        double sigma = GraphSpreading.Graph.scale(n, degree, similarities);
        double[] gain = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            if (!candidates[i]) return;
            double g = 1 - confidence[i];
            for (int t = 0; t < degree; t++) {
                int j = neighbours[i * degree + t];
                g += (1 - confidence[j]) * GraphSpreading.Graph.kernel(similarities[i * degree + t], sigma);
            }
            gain[i] = g;
        });
        Integer[] open = IntStream.range(0, n).filter(i -> candidates[i]).boxed().toArray(Integer[]::new);
        Arrays.sort(open, (a, b) -> {
            boolean da = a < summarySize, db = b < summarySize;
            if (da != db) return da ? -1 : 1;
            if (gain[a] != gain[b]) return Double.compare(gain[b], gain[a]);
            return Integer.compare(a, b);
        });
        return Arrays.stream(open, 0, Math.min(count, open.length)).mapToInt(Integer::intValue).toArray();
    }
}
