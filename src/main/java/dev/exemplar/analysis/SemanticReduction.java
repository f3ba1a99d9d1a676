package dev.exemplar.analysis;

import dev.exemplar.features.Kernels;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.UnionFind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import java.util.stream.IntStream;

/**
 * The semantic-redundancy paper's reduction (Birodkar, Mobahi and Bengio 2019): within each class
 * separately, agglomerative clustering with cosine distance (complete linkage by default), cut at
 * one distance threshold for all classes, and one item kept per cluster, the one nearest the
 * cluster's mean. The threshold is found by bisection so that the kept set is the asked share of
 * the dataset.
 *
 * <p>Two kept items of one class are never closer than the threshold: complete linkage alone does
 * not promise this (two clusters whose farthest members are far apart may have close members), so
 * a kept item within the threshold of one kept from a larger cluster is dropped, and its cluster
 * joins that one's group.
 *
 * <p>Memory is quadratic per class, never over the whole dataset: the distance matrix of one class
 * at a time. A class larger than {@code exactLimit} is refused unless {@code approximate} is set;
 * then it is first split by repeated 2-means into parts of at most {@code exactLimit} items, each
 * clustered exactly, so two near items that land in different parts are both kept.
 */
public final class SemanticReduction {

    /**
     * @param keep       the share of the dataset to keep, in (0, 1]; ignored when a threshold is given
     * @param threshold  the cosine distance to cut at, or NaN to find it from {@code keep}
     * @param exactLimit the largest class (or part) clustered exactly
     */
    record Options(double keep, double threshold, Linkage linkage, int exactLimit, boolean approximate, long seed) {
        static Options keep(double share) {
            return new Options(share, Double.NaN, Linkage.COMPLETE, 5_000, false, 12345L);
        }
    }

    public enum Linkage { COMPLETE, AVERAGE }

    /**
     * @param threshold the cosine distance the clusters were cut at
     * @param kept      the kept items, ascending
     * @param groups    groups of two or more items that one kept item stands for (all of one class), largest first
     * @param groupKept the kept item of each group
     * @param split     classes that were split into parts (only with {@code approximate})
     */
    record Result(double threshold, int[] kept, List<int[]> groups, int[] groupKept, List<String> split) { }

    private static final int BISECTIONS = 60;

    private SemanticReduction() { }

    /**
     * @param x      unit feature vectors, one per item
     * @param labels the class of every item
     */
    static Result run(float[][] x, String[] labels, Options o, Progress progress) {
        int n = x.length;
        if (!(o.keep() > 0 && o.keep() <= 1) && Double.isNaN(o.threshold())) throw new IllegalArgumentException("keep must be in (0, 1]: " + o.keep());
        List<int[]> classes = byClass(labels);
        List<String> split = new ArrayList<>();
        List<int[]> parts = new ArrayList<>();
        for (int[] c : classes) {
            if (c.length <= o.exactLimit()) {
                parts.add(c);
                continue;
            }
            String name = labels[c[0]];
            if (!o.approximate()) {
                throw new Refusal(String.format(Locale.ROOT, "class '%s' has %,d items, more than the %,d that exact "
                        + "clustering handles (its distance matrix alone would take %,d MB); raise --max-class or add --approximate", name, c.length, o.exactLimit(),
                        (long) c.length * (c.length - 1) / 2 * 4 / 1_000_000));
            }
            split.add(name);
            parts.addAll(divide(x, c, o.exactLimit(), o.seed()));
        }

        // the dendrogram of every part, one distance matrix at a time
        progress.phase("clustering", n);
        List<Agglomerative.Merge> merges = new ArrayList<>(n);
        Agglomerative.Linkage linkage = o.linkage() == Linkage.AVERAGE ? Agglomerative.Linkage.AVERAGE : Agglomerative.Linkage.COMPLETE;
        for (int[] part : parts) {
            for (Agglomerative.Merge m : Agglomerative.merges(rows(x, part), linkage)) {
                merges.add(new Agglomerative.Merge(part[m.a()], part[m.b()], m.height()));
            }
            progress.advance(part.length);
        }
        merges.sort(Comparator.comparingDouble(Agglomerative.Merge::height));
        float[] heights = new float[merges.size()];
        for (int i = 0; i < heights.length; i++) heights[i] = merges.get(i).height();
        int target = (int) Math.max(1, Math.round(o.keep() * n));

        // the cut alone keeps one item per cluster; dropping close kept items only lowers that, so the threshold
        // is at most where the cut alone reaches the target, and only pairs that close are needed afterwards
        double bound = Double.isNaN(o.threshold()) ? bisect(t -> n - countAtMost(heights, t), target, 2) : o.threshold();
        progress.phase("close pairs", n);
        List<List<int[]>> close = closePairs(x, parts, bound, progress);
        Cut cut = new Cut(x, labels, merges, heights, close);
        double threshold = Double.isNaN(o.threshold()) ? bisect(t -> cut.at(t).kept.length, target, bound) : o.threshold();
        Kept k = cut.at(threshold);
        return new Result(threshold, k.kept, k.groups, k.groupKept, split);
    }

    /** The threshold in [0, hi] whose count is nearest the target (counts fall as the threshold grows). */
    private static double bisect(DoubleToIntFunction count, int target, double hi) {
        double lo = 0;
        if (count.applyAsInt(lo) <= target) return lo;
        if (count.applyAsInt(hi) >= target) return hi;
        for (int i = 0; i < BISECTIONS; i++) {
            double mid = (lo + hi) / 2;
            if (count.applyAsInt(mid) > target) lo = mid;
            else hi = mid;
        }
        // lo keeps more than the target, hi at most the target: take the nearer, the larger set on a tie
        return count.applyAsInt(lo) - target <= target - count.applyAsInt(hi) ? lo : hi;
    }

    private static int countAtMost(float[] sorted, double t) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Per item, its items of the same part within distance {@code bound}: {other, distance bits}. */
    private static List<List<int[]>> closePairs(float[][] x, List<int[]> parts, double bound, Progress progress) {
        List<List<int[]>> close = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) close.add(new ArrayList<>());
        for (int[] part : parts) {
            List<List<int[]>> local = IntStream.range(0, part.length).parallel().mapToObj(a -> {
                List<int[]> l = new ArrayList<>();
                for (int b = 0; b < part.length; b++) {
                    if (b == a) continue;
                    float d = Math.max(0, 1 - Kernels.dot(x[part[a]], x[part[b]]));
                    if (d <= bound) l.add(new int[] {part[b], Float.floatToIntBits(d)});
                }
                return l;
            }).toList();
            for (int a = 0; a < part.length; a++) close.get(part[a]).addAll(local.get(a));
            progress.advance(part.length);
        }
        return close;
    }

    private record Kept(int[] kept, List<int[]> groups, int[] groupKept) { }

    /** The clustering at a threshold: clusters, their kept items, and the kept items dropped for being too close. */
    private record Cut(float[][] x, String[] labels, List<Agglomerative.Merge> merges, float[] heights, List<List<int[]>> close) {
        Kept at(double t) {
            int n = x.length;
            UnionFind sets = new UnionFind(n);
            int joined = countAtMost(heights, t);
            for (int i = 0; i < joined; i++) sets.union(merges.get(i).a(), merges.get(i).b());
            List<List<Integer>> members = new ArrayList<>();
            int[] cluster = new int[n];
            Arrays.fill(cluster, -1);
            int[] root = new int[n];
            for (int i = 0; i < n; i++) {
                int r = sets.find(i);
                if (cluster[r] < 0) {
                    cluster[r] = members.size();
                    members.add(new ArrayList<>());
                }
                root[i] = cluster[r];
                members.get(cluster[r]).add(i);
            }
            int c = members.size();
            int[] rep = new int[c];
            for (int q = 0; q < c; q++) rep[q] = nearestMean(members.get(q));
            // larger clusters' kept items first; a kept item within t of an earlier one of its class is dropped
            Integer[] order = new Integer[c];
            for (int q = 0; q < c; q++) order[q] = q;
            Arrays.sort(order, Comparator.comparingInt((Integer q) -> -members.get(q).size()).thenComparingInt(q -> members.get(q).get(0)));
            int[] keeperOf = new int[c];
            boolean[] isKept = new boolean[n];
            for (int q : order) {
                int r = rep[q], keeper = -1;
                for (int[] p : close.get(r)) {
                    if (isKept[p[0]] && Float.intBitsToFloat(p[1]) <= t && labels[p[0]].equals(labels[r])) {
                        keeper = p[0];
                        break;
                    }
                }
                if (keeper < 0) {
                    isKept[r] = true;
                    keeperOf[q] = r;
                } else {
                    keeperOf[q] = keeper;
                }
            }
            int[] kept = IntStream.range(0, n).filter(i -> isKept[i]).toArray();
            List<List<Integer>> byKeeper = new ArrayList<>();
            int[] slot = new int[n];
            Arrays.fill(slot, -1);
            for (int i = 0; i < n; i++) {
                int keeper = keeperOf[root[i]];
                if (slot[keeper] < 0) {
                    slot[keeper] = byKeeper.size();
                    byKeeper.add(new ArrayList<>());
                }
                byKeeper.get(slot[keeper]).add(i);
            }
            List<int[]> groups = new ArrayList<>();
            for (List<Integer> g : byKeeper) if (g.size() > 1) groups.add(g.stream().mapToInt(Integer::intValue).toArray());
            groups.sort(Comparator.comparingInt((int[] g) -> -g.length).thenComparingInt(g -> g[0]));
            int[] groupKept = new int[groups.size()];
            for (int g = 0; g < groups.size(); g++) groupKept[g] = keeperOf[root[groups.get(g)[0]]];
            return new Kept(kept, groups, groupKept);
        }

        private int nearestMean(List<Integer> items) {
            if (items.size() == 1) return items.get(0);
            int d = x[items.get(0)].length;
            float[] mean = new float[d];
            for (int i : items) for (int t = 0; t < d; t++) mean[t] += x[i][t];
            int best = items.get(0);
            float bestDot = Float.NEGATIVE_INFINITY;
            for (int i : items) {
                float v = Kernels.dot(x[i], mean); // the mean's length is common to all: its direction decides
                if (v > bestDot) {
                    bestDot = v;
                    best = i;
                }
            }
            return best;
        }
    }

    /** Items by class, classes in order of first appearance. */
    private static List<int[]> byClass(String[] labels) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) m.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        return m.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** Splits items by repeated 2-means until every part has at most {@code limit} items. */
    private static List<int[]> divide(float[][] x, int[] items, int limit, long seed) {
        List<int[]> out = new ArrayList<>();
        List<int[]> todo = new ArrayList<>(List.of(items));
        while (!todo.isEmpty()) {
            int[] part = todo.remove(todo.size() - 1);
            if (part.length <= limit) {
                out.add(part);
                continue;
            }
            int[] a = KMeans.cluster(rows(x, part), 2, seed, WaveletClustering.MAX_ITERATIONS).assignment();
            int[] left = IntStream.range(0, part.length).filter(i -> a[i] == 0).map(i -> part[i]).toArray();
            int[] right = IntStream.range(0, part.length).filter(i -> a[i] != 0).map(i -> part[i]).toArray();
            if (left.length == 0 || right.length == 0) { // no structure to split by: halve
                left = Arrays.copyOfRange(part, 0, part.length / 2);
                right = Arrays.copyOfRange(part, part.length / 2, part.length);
            }
            todo.add(left);
            todo.add(right);
        }
        return out;
    }

    private static float[][] rows(float[][] x, int[] items) {
        float[][] r = new float[items.length][];
        for (int i = 0; i < items.length; i++) r[i] = x[items[i]];
        return r;
    }
}
