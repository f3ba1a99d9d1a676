package dev.exemplar.summary;

import dev.exemplar.features.Vectors;

import java.util.stream.IntStream;

/** Links every constituent to the delegates that together represent it best. */
public final class Links {
    /** Per constituent (by item index; null for delegates): delegate indices, strongest first, and weights summing to 1. */
    public record Table(int[][] delegates, double[][] weights) { }

    static final int CANDIDATES = 12;

    private Links() { }

    public static Table build(float[][] x, int[] order, int summarySize, int maxDelegates) {
        int n = x.length;
        int[] delegates = java.util.Arrays.copyOf(order, summarySize);
        int[][] ds = new int[n][];
        double[][] ws = new double[n][];
        IntStream.range(summarySize, n).parallel().forEach(r -> {
            int c = order[r];
            NeighbourGraph.TopK top = new NeighbourGraph.TopK(Math.min(CANDIDATES, summarySize));
            for (int d : delegates) top.offer(d, (float) Vectors.dot(x[c], x[d]));
            top.sortDescending();
            int m = Math.min(maxDelegates, top.size);
            int[] chosen = java.util.Arrays.copyOf(top.ids, 1);
            double[] w = {1.0};
            ds[c] = chosen;
            ws[c] = w;
        });
        return new Table(ds, ws);
    }
}
