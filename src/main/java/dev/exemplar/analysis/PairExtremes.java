package dev.exemplar.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What the paper reads off a similarity matrix besides the clusters: each item's most similar
 * other item (the lowest such similarity marks the most isolated images) and the least similar
 * pairs (its Figures 7 and 15).
 *
 * @param nearest      per item, the similarity of its most similar other item
 * @param partner      per item, that item (-1 when there is no other)
 * @param leastSimilar the least similar pairs, least first
 */
record PairExtremes(float[] nearest, int[] partner, List<Pair> leastSimilar) {

    /** Items by isolation, most isolated first: the lowest similarity to their nearest other item. */
    int[] mostIsolated(int count) {
        Integer[] order = new Integer[nearest.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> nearest[i]).thenComparingInt(i -> i));
        return Arrays.stream(order).limit(count).mapToInt(Integer::intValue).toArray();
    }

    static PairExtremes of(SimilarityMatrix s, int leastCount) {
        Accumulator acc = new Accumulator(s.rows(), leastCount);
        for (int i = 0; i < s.rows(); i++) for (int j = i + 1; j < s.rows(); j++) acc.add(i, j, s.get(i, j));
        return acc.result();
    }

    /** Collects the extremes pair by pair. */
    static final class Accumulator {
        final float[] nearest;
        final int[] partner;
        final int leastCount;
        final PriorityQueue<Pair> least; // a max-heap of the lowest pairs so far

        Accumulator(int n, int leastCount) {
            nearest = new float[n];
            Arrays.fill(nearest, Float.NEGATIVE_INFINITY);
            partner = new int[n];
            Arrays.fill(partner, -1);
            this.leastCount = leastCount;
            least = new PriorityQueue<>(Comparator.comparingDouble((Pair p) -> p.similarity()).reversed());
        }

        void add(int i, int j, float v) {
            if (v > nearest[i]) { nearest[i] = v; partner[i] = j; }
            if (v > nearest[j]) { nearest[j] = v; partner[j] = i; }
            if (leastCount == 0) return;
            if (least.size() < leastCount) least.add(new Pair(i, j, v));
            else if (v < least.peek().similarity()) {
                least.poll();
                least.add(new Pair(i, j, v));
            }
        }

        PairExtremes result() {
            List<Pair> l = new ArrayList<>(least);
            l.sort(Comparator.comparingDouble(Pair::similarity));
            float[] near = nearest.clone();
            for (int i = 0; i < near.length; i++) if (partner[i] < 0) near[i] = Float.NaN;
            return new PairExtremes(near, partner.clone(), l);
        }
    }
}
