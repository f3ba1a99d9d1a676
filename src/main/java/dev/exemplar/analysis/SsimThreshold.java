package dev.exemplar.analysis;

import dev.exemplar.features.Ssim;
import dev.exemplar.summary.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The paper's low-cost alternative to spectral clustering (section 4.3): every pair's SSIM once,
 * without keeping the n x n matrix; images joined by a pair at or above the threshold form a group
 * (connected components), and each group's member most similar to the others is the one kept.
 * Quadratic in time, linear in memory (plus the pairs above the threshold).
 */
public final class SsimThreshold {

    /** Groups as a clustering (every item in one; singletons too), their representatives, and the extremes of all pairs. */
    public record Result(int clusters, int[] assignment, int[] representative, PairExtremes extremes) { }

    private SsimThreshold() { }

    public static Result run(List<Ssim.Prepared> images, double threshold, int leastCount, Progress progress) {
        int n = images.size();
        int workers = Math.max(1, 4 * Runtime.getRuntime().availableProcessors());
        progress.phase("ssim", (long) n * (n - 1) / 2);
        List<PairExtremes.Accumulator> accs = new ArrayList<>();
        List<List<Pair>> linked = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            accs.add(new PairExtremes.Accumulator(n, leastCount));
            linked.add(new ArrayList<>());
        }
        // rows i and n-1-i together make equal work; worker w takes every workers-th such couple
        IntStream.range(0, workers).parallel().forEach(w -> {
            PairExtremes.Accumulator acc = accs.get(w);
            for (int p = w; p < (n + 1) / 2; p += workers) {
                for (int i : p == n - 1 - p ? new int[] {p} : new int[] {p, n - 1 - p}) {
                    for (int j = i + 1; j < n; j++) {
                        float v = (float) Ssim.ssim(images.get(i), images.get(j));
                        acc.add(i, j, v);
                        if (v >= threshold) linked.get(w).add(new Pair(i, j, v));
                    }
                    progress.advance(n - 1 - i);
                }
            }
        });
        PairExtremes.Accumulator all = accs.get(0);
        for (int w = 1; w < workers; w++) all.merge(accs.get(w));

        UnionFind sets = new UnionFind(n);
        double[] total = new double[n]; // each item's summed similarity to its linked partners
        for (List<Pair> l : linked) {
            for (Pair p : l) {
                sets.union(p.a(), p.b());
                total[p.a()] += p.similarity();
                total[p.b()] += p.similarity();
            }
        }
        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);
        int[] assignment = new int[n];
        List<Integer> reps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int r = sets.find(i);
            if (cluster[r] < 0) {
                cluster[r] = reps.size();
                reps.add(i);
            }
            assignment[i] = cluster[r];
            int rep = reps.get(cluster[r]);
            if (total[i] > total[rep]) reps.set(cluster[r], i);
        }
        return new Result(reps.size(), assignment, reps.stream().mapToInt(Integer::intValue).toArray(), all.result());
    }
}
