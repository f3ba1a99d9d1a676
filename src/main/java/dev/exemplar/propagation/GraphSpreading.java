package dev.exemplar.propagation;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Spreads the labels people gave over the neighbour graph to every other item, delegates and
 * constituents alike (Zhou et al. 2004, "Learning with local and global consistency", with the
 * labelled items clamped): F <- alpha S F + (1 - alpha) Y, S = D^-1/2 W D^-1/2 over the symmetric
 * k-nearest-neighbour graph. An item's distribution is what reaches it from the labelled items
 * along paths of similar items, shrinking by alpha at every step, so its size also says how near
 * the labels are.
 *
 * <p>Cost: building W is linear in the edges (at most 2 k per item); each of the {@value #ITERATIONS}
 * iterations reads every edge once and merges at most {@value #KEPT} labels across it, so the whole
 * is at most 2 k n {@value #KEPT} {@value #ITERATIONS} multiply-adds (5 billion for a million items
 * with k = 20) and n (4 k + 4 {@value #KEPT}) words of memory besides the lists (0.4 GB): flat arrays,
 * each item keeping only its {@value #KEPT} strongest labels, however many labels the project has.
 */
public final class GraphSpreading {
    /**
     * How much of an item's distribution comes from its neighbours rather than its own label. With 0.5, 0.9 and
     * 0.99 the least efforts on the development sets were within 0.04 of each other (rooms 0.684, 0.710, 0.674;
     * classes 0.519, 0.518, 0.523; digits 0.218, 0.222, 0.234), none best on all; 0.9 has converged after
     * {@value #ITERATIONS} steps (60 changed no figure) where 0.99 needs hundreds.
     */
    static final double ALPHA = 0.9;
    /** Steps of the iteration: alpha^30 = 0.04 is all a label 30 steps away still adds. */
    static final int ITERATIONS = 30;
    /** Labels kept per item: the rest of a distribution is too small to change its winner or its share. */
    static final int KEPT = 4;

    /**
     * Per item, the label spread to it (the item's own where it is labelled; -1 where no label
     * reached it) and the confidence that it is right (1 for a label people gave, 0 for none).
     */
    public record Spread(int[] labels, double[] confidence) { }

    /**
     * What the confidence of a spread label is judged from, per item: the winning label, its share of
     * the distribution, the runner-up's share, the distribution's size, how many unlabelled items of its
     * own neighbour list come before the nearest one labelled with the winner, and the kernel weight of its
     * similarity to that one (0 when none of its neighbours has that label): the weight, not the similarity,
     * so that "near" means the same on photographs as on clip art, relative to how near items there are.
     */
    record Evidence(int[] label, float[] share, float[] second, float[] mass, int[] ahead, float[] nearest) { }

    private GraphSpreading() { }

    /**
     * @param degree       neighbours per item in the lists
     * @param neighbours   item i's neighbours at {@code [i degree, i degree + degree)}, most similar first
     * @param similarities their cosine similarities, in the same places
     * @param known        per item, the index of the label people gave it (0, 1, ...), or -1 where it has none
     * @param linkVote     per item, the label its labelled links vote for ({@link LabelVote}), or -1 where none
     *                     of its links is labelled (or it has none); null when there are no links
     */
    public static Spread spread(int degree, int[] neighbours, float[] similarities, int[] known, int[] linkVote) {
        Evidence e = evidence(degree, neighbours, similarities, known);
        int n = known.length;
        double[] confidence = new double[n];
        for (int i = 0; i < n; i++) {
            if (known[i] >= 0) confidence[i] = 1;
            else if (e.label()[i] >= 0) confidence[i] = SpreadConfidence.FITTED.confidence(e, i, linkVote == null ? -1 : linkVote[i]);
        }
        return new Spread(e.label().clone(), confidence);
    }

    /** The spread distributions summed up per item. */
    static Evidence evidence(int degree, int[] neighbours, float[] similarities, int[] known) {
        int n = known.length;
        double sigma = Graph.scale(n, degree, similarities);
        Graph g = Graph.of(n, degree, neighbours, similarities, sigma);
        int classes = 0;
        for (int l : known) classes = Math.max(classes, l + 1);
        Distributions f = new Distributions(n), next = new Distributions(n);
        for (int i = 0; i < n; i++) if (known[i] >= 0) f.set(i, known[i]);
        if (classes > 0) {
            int width = classes;
            for (int it = 0; it < ITERATIONS; it++) {
                Distributions from = f, to = next;
                items(n).forEach(i -> {
                    if (known[i] >= 0) to.set(i, known[i]); // clamped
                    else step(g, from, to, i, width);
                });
                next = f;
                f = to;
            }
        }
        int[] label = new int[n], ahead = new int[n];
        float[] share = new float[n], second = new float[n], mass = new float[n], nearest = new float[n];
        for (int i = 0; i < n; i++) {
            float total = 0;
            for (int t = 0; t < KEPT; t++) total += f.weight[i * KEPT + t];
            label[i] = total > 0 ? f.label[i * KEPT] : -1;
            if (total <= 0) continue;
            share[i] = f.weight[i * KEPT] / total;
            second[i] = f.weight[i * KEPT + 1] / total;
            mass[i] = total;
            int unlabelled = 0;
            for (int t = 0; t < degree; t++) {
                int j = neighbours[i * degree + t];
                if (known[j] == label[i]) {
                    nearest[i] = (float) Graph.kernel(similarities[i * degree + t], sigma);
                    break;
                }
                if (known[j] < 0) unlabelled++;
            }
            ahead[i] = unlabelled;
        }
        return new Evidence(label, share, second, mass, ahead, nearest);
    }

    private static final ThreadLocal<double[]> SUMS = ThreadLocal.withInitial(() -> new double[0]);
    private static final ThreadLocal<int[]> TOUCHED = ThreadLocal.withInitial(() -> new int[0]);

    /** Item i's new distribution: alpha times its neighbours' by the normalised weights, the strongest {@value #KEPT} kept. */
    private static void step(Graph g, Distributions from, Distributions to, int i, int classes) {
        double[] sums = SUMS.get();
        if (sums.length < classes) SUMS.set(sums = new double[classes]);
        int[] touched = TOUCHED.get();
        int most = (g.start[i + 1] - g.start[i]) * KEPT;
        if (touched.length < most) TOUCHED.set(touched = new int[Math.max(most, 2 * touched.length)]);
        int count = 0;
        for (int e = g.start[i]; e < g.start[i + 1]; e++) {
            int j = g.adj[e];
            double s = ALPHA * g.w[e];
            for (int t = 0; t < KEPT; t++) {
                float v = from.weight[j * KEPT + t];
                if (v == 0) break;
                int l = from.label[j * KEPT + t];
                if (sums[l] == 0) touched[count++] = l;
                sums[l] += s * v;
            }
        }
        to.clear(i);
        for (int c = 0; c < count; c++) {
            int l = touched[c];
            if (sums[l] > 0) to.offer(i, l, (float) sums[l]); // 0 where a contribution underflowed, or l came twice
            sums[l] = 0;
        }
    }

    /** In parallel where there is enough to share. */
    private static IntStream items(int n) {
        return n >= 10_000 ? IntStream.range(0, n).parallel() : IntStream.range(0, n);
    }

    /** Each item's strongest labels, strongest first, in flat arrays: item i's at [i KEPT, i KEPT + KEPT), weight 0 past its last. */
    private static final class Distributions {
        final int[] label;
        final float[] weight;

        Distributions(int n) {
            label = new int[n * KEPT];
            weight = new float[n * KEPT];
        }

        void set(int i, int l) {
            clear(i);
            label[i * KEPT] = l;
            weight[i * KEPT] = 1;
        }

        void clear(int i) {
            Arrays.fill(weight, i * KEPT, i * KEPT + KEPT, 0f);
        }

        /** Keeps (l, v) among item i's strongest, in order (ties to the smaller label, so runs repeat exactly). */
        void offer(int i, int l, float v) {
            int base = i * KEPT, at = KEPT;
            while (at > 0 && before(l, v, label[base + at - 1], weight[base + at - 1])) at--;
            if (at == KEPT) return;
            for (int t = KEPT - 1; t > at; t--) {
                label[base + t] = label[base + t - 1];
                weight[base + t] = weight[base + t - 1];
            }
            label[base + at] = l;
            weight[base + at] = v;
        }

        private static boolean before(int l, float v, int other, float otherWeight) {
            return otherWeight == 0 || v > otherWeight || (v == otherWeight && l < other);
        }
    }

    /**
     * S = D^-1/2 W D^-1/2 of the symmetric graph: an edge wherever either item lists the other, weighted
     * w = exp(-(1 - s) / sigma), with sigma the median distance of an item to its nearest neighbour, so
     * the kernel is as sharp as the collection is dense (a fixed width would suit one kind of image only).
     * Item i's edges are adj[start[i] .. start[i + 1]) with their normalised weights in w.
     */
    static final class Graph {
        final int[] start, adj;
        final float[] w;

        private Graph(int[] start, int[] adj, float[] w) {
            this.start = start;
            this.adj = adj;
            this.w = w;
        }

        static Graph of(int n, int degree, int[] neighbours, float[] similarities, double sigma) {
            // every listed pair in both directions, then per item sorted by neighbour with repeats merged (the larger kept)
            int[] begin = new int[n + 1];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < degree; t++) {
                    int j = neighbours[i * degree + t];
                    if (j == i) continue;
                    begin[i + 1]++;
                    begin[j + 1]++;
                }
            }
            for (int i = 0; i < n; i++) begin[i + 1] += begin[i];
            int[] fill = Arrays.copyOf(begin, n), adj = new int[begin[n]];
            float[] w = new float[begin[n]];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < degree; t++) {
                    int j = neighbours[i * degree + t];
                    if (j == i) continue;
                    float k = (float) kernel(similarities[i * degree + t], sigma);
                    adj[fill[i]] = j;
                    w[fill[i]++] = k;
                    adj[fill[j]] = i;
                    w[fill[j]++] = k;
                }
            }
            int[] start = new int[n + 1];
            int longest = 0;
            for (int i = 0; i < n; i++) longest = Math.max(longest, begin[i + 1] - begin[i]);
            long[] packed = new long[longest];
            int at = 0;
            for (int i = 0; i < n; i++) { // merged in place: an item's kept edges never pass its own stretch
                int from = begin[i], to = begin[i + 1];
                sortByNeighbour(adj, w, from, to, packed);
                start[i] = at;
                for (int e = from; e < to; e++) {
                    if (e > from && adj[e] == adj[e - 1]) {
                        w[at - 1] = Math.max(w[at - 1], w[e]);
                    } else {
                        adj[at] = adj[e];
                        w[at++] = w[e];
                    }
                }
            }
            start[n] = at;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) for (int e = start[i]; e < start[i + 1]; e++) d[i] += w[e];
            for (int i = 0; i < n; i++) {
                for (int e = start[i]; e < start[i + 1]; e++) w[e] = (float) (w[e] / Math.sqrt(d[i] * d[adj[e]]));
            }
            return new Graph(start, adj, w); // the tails past start[n] are unused: no second copy
        }

        /** The weight of an edge of cosine similarity s. */
        static double kernel(float s, double sigma) {
            return Math.exp(-Math.max(0, 1 - s) / sigma);
        }

        /** The median over items of the distance 1 - s to the nearest neighbour (at least 1e-6). */
        static double scale(int n, int degree, float[] similarities) {
            if (n == 0 || degree == 0) return 1;
            float[] nearest = new float[n];
            for (int i = 0; i < n; i++) nearest[i] = Math.max(0, 1 - similarities[i * degree]);
            Arrays.sort(nearest);
            return Math.max(1e-6, nearest[n / 2]);
        }

        /** Sorts [from, to) by neighbour: packed as neighbour and weight bits in one long, sorted as longs. */
        private static void sortByNeighbour(int[] adj, float[] w, int from, int to, long[] packed) {
            int m = to - from;
            for (int t = 0; t < m; t++) packed[t] = ((long) adj[from + t] << 32) | (Float.floatToIntBits(w[from + t]) & 0xffffffffL);
            Arrays.sort(packed, 0, m);
            for (int t = 0; t < m; t++) {
                adj[from + t] = (int) (packed[t] >>> 32);
                w[from + t] = Float.intBitsToFloat((int) packed[t]);
            }
        }
    }
}
