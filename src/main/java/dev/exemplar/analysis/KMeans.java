package dev.exemplar.analysis;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * k-means on rows of floats (Euclidean distance): k-means++ seeding (Arthur and Vassilvitskii,
 * 2007) and Lloyd iterations with Elkan's bounds (2003), which give Lloyd's result while skipping
 * most distance computations once centres settle. Deterministic for a seed: the work is split
 * across threads by items or by clusters, and every sum is taken in a fixed order.
 *
 * <p>Elkan keeps, per item, an upper bound on the distance to its centre and a lower bound on the
 * distance to every other centre (n x k floats), moved by the centres' drifts after each update;
 * a centre is looked at only when the bounds cannot rule it out. With many clusters in many
 * dimensions this prunes far more than a single bound on the second-nearest centre (Hamerly's),
 * which is why it is used here. The seeding prunes with the triangle inequality (a new seed c
 * cannot be nearer to x than x's seed s when |c - s| >= 2 |x - s|), and what it learns, an exact
 * distance or such a bound for every item and seed, is exactly what Elkan's iterations start from.
 *
 * <p>Most of the distances that are still computed only need to be compared with a bound: is
 * this centre nearer than the item's current one? They are summed coordinate block by coordinate
 * block and abandoned as soon as the partial sum reaches the bound (partial distance search); the
 * partial sum is then a lower bound, which is what Elkan's bounds keep anyway. The coordinates are
 * put in order of decreasing variance first ({@link Points}), so the partial sums grow fastest: on
 * 5,000 photographs' 3,072 wavelet coefficients the first 256 carry 98% of the variance, and most
 * comparisons end there.
 */
public final class KMeans {
    /** Items per parallel task: large enough that a task outweighs its scheduling. */
    private static final int BLOCK = 64;
    /** Coordinates summed between two comparisons with the bound. */
    private static final int CHUNK = 64;
    /**
     * Leading coordinates over which distances between seeds, and between centres, are summed:
     * those serve only as lower bounds, and the leading coordinates hold most of the variance.
     */
    private static final int HEAD = 256;
    /** Largest n x k for the bounds matrix (4 bytes each). */
    static final long MAX_BOUNDS = 300_000_000L;
    /** Bounds kept in floats are shaved by this much, which covers their rounding. */
    private static final double SHAVE = 1e-4;

    /**
     * k-means++ seeds in the order drawn, and potential[t], the sum of squared distances of the items
     * to their nearest seed among the first t + 1: the k-means cost of stopping after t + 1 seeds.
     */
    public record Seeding(int[] seeds, double[] potential) { }

    /**
     * @param assignment     cluster of each item
     * @param centres        the mean of each cluster
     * @param representative the member of each cluster nearest its centre (lowest index on ties)
     * @param inertia        sum of squared distances of the items to their centres
     * @param iterations     Lloyd iterations run
     * @param converged      the last iteration changed no assignment (otherwise maxIterations ended it)
     */
    public record Result(int[] assignment, float[][] centres, int[] representative, double inertia,
                         int iterations, boolean converged) { }

    /**
     * Items as k-means reads them: some of the columns of a matrix, copied with the coordinates in
     * order of decreasing variance (so partial sums of squared differences grow fastest), and the
     * order, to give centres back in the columns' order.
     */
    static final class Points {
        final float[][] rows;
        final int[] columns;   // columns[l]: which of the kept columns coordinate l holds

        private Points(float[][] rows, int[] columns) {
            this.rows = rows;
            this.columns = columns;
        }

        /** The given columns of x (all of them when null), reordered by decreasing variance. */
        static Points of(float[][] x, int[] columns) {
            if (x.length == 0) throw new IllegalArgumentException("no items");
            int d = x[0].length;
            for (float[] row : x) if (row.length != d) throw new IllegalArgumentException("rows of different lengths");
            int[] kept = columns == null ? IntStream.range(0, d).toArray() : columns;
            int m = kept.length;
            double[] variance = new double[m];
            int n = x.length;
            IntStream.range(0, (m + CHUNK - 1) / CHUNK).parallel().forEach(b -> {
                int from = b * CHUNK, to = Math.min(m, from + CHUNK);
                double[] sum = new double[to - from], sum2 = new double[to - from];
                for (float[] row : x) {
                    for (int l = from; l < to; l++) {
                        double v = row[kept[l]];
                        sum[l - from] += v;
                        sum2[l - from] += v * v;
                    }
                }
                for (int l = from; l < to; l++) {
                    double mean = sum[l - from] / n;
                    variance[l] = sum2[l - from] / n - mean * mean;
                }
            });
            int[] order = IntStream.range(0, m).boxed()
                    .sorted((a, b) -> variance[a] != variance[b] ? Double.compare(variance[b], variance[a]) : Integer.compare(a, b))
                    .mapToInt(Integer::intValue).toArray();
            int[] source = new int[m];
            for (int l = 0; l < m; l++) source[l] = kept[order[l]];
            float[][] rows = new float[n][];
            forBlocks(n, i -> {
                float[] row = new float[Math.max(m, 1)];            // no column: one zero coordinate, all items alike
                float[] in = x[i];
                for (int l = 0; l < m; l++) row[l] = in[source[l]];
                rows[i] = row;
            });
            return new Points(rows, m == 0 ? new int[0] : order);
        }

        int size() {
            return rows.length;
        }

        /** A centre in the input's column order (of the kept columns). */
        float[] unordered(float[] centre) {
            if (columns.length == 0) return new float[0];
            float[] out = new float[columns.length];
            for (int l = 0; l < columns.length; l++) out[columns[l]] = centre[l];
            return out;
        }
    }

    private KMeans() { }

    /** k-means++ seeding of k of the rows of x. */
    public static Seeding seed(float[][] x, int k, long seed) {
        return seed(Points.of(x, null), k, seed);
    }

    static Seeding seed(Points points, int k, long seed) {
        Seeder s = new Seeder(points.rows, k, seed, false);
        return new Seeding(s.seeds.clone(), s.potential.clone());
    }

    /** k clusters from k-means++ seeds, then Lloyd iterations until no assignment changes or maxIterations. */
    public static Result cluster(float[][] x, int k, long seed, int maxIterations) {
        return cluster(Points.of(x, null), k, seed, maxIterations);
    }

    static Result cluster(Points points, int k, long seed, int maxIterations) {
        Seeder s = new Seeder(points.rows, k, seed, true);
        return new Lloyd(points, s.seeds, s.nearest, s.upper, s.lower).run(maxIterations);
    }

    /** Lloyd iterations from the given rows of x as the initial centres. */
    public static Result cluster(float[][] x, int[] seeds, int maxIterations) {
        Points points = Points.of(x, null);
        check(points.rows, seeds.length);
        Lloyd lloyd = new Lloyd(points, seeds, new int[x.length], new double[x.length], bounds(x.length, seeds.length));
        lloyd.assignAll();
        return lloyd.run(maxIterations);
    }

    private static void check(float[][] x, int k) {
        if (x.length == 0) throw new IllegalArgumentException("no items");
        if (k < 1 || k > x.length) throw new IllegalArgumentException("k = " + k + " for " + x.length + " items");
    }

    private static float[][] bounds(int n, int k) {
        if ((long) n * k > MAX_BOUNDS) {
            throw new IllegalArgumentException(n + " items x " + k + " clusters is more distance bounds than fit in memory; use fewer clusters");
        }
        return new float[n][k];
    }

    private static void forBlocks(int n, IntConsumer body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) body.accept(i);
        });
    }

    /** Squared Euclidean distance, summed in double. */
    static double distance2(float[] a, float[] b) {
        return distance2(a, b, Double.POSITIVE_INFINITY);
    }

    /**
     * The squared distance if it is below {@code limit}; otherwise some partial sum of it that is
     * at least {@code limit} (a lower bound). Blocks of {@value #CHUNK} coordinates are summed in a
     * fixed order and every block's sum is non-negative, so the running sum never decreases, even
     * rounded: when it stops early the full sum would not have been below the limit either, and when
     * it does not, the value is exactly {@code distance2(a, b)}.
     */
    static double distance2(float[] a, float[] b, double limit) {
        return distance2(a, b, limit, a.length);
    }

    /** Same over the first {@code to} coordinates only: a lower bound on the squared distance. */
    private static double distance2(float[] a, float[] b, double limit, int to) {
        double sum = 0;
        for (int start = 0; start < to; start += CHUNK) {
            sum += block(a, b, start, Math.min(to, start + CHUNK));
            if (sum >= limit) break;
        }
        return sum;
    }

    /** Sum of squared differences over [from, to), with eight partial sums so the additions overlap. */
    private static double block(float[] a, float[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            double t0 = a[i] - b[i], t1 = a[i + 1] - b[i + 1], t2 = a[i + 2] - b[i + 2], t3 = a[i + 3] - b[i + 3];
            double t4 = a[i + 4] - b[i + 4], t5 = a[i + 5] - b[i + 5], t6 = a[i + 6] - b[i + 6], t7 = a[i + 7] - b[i + 7];
            s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3;
            s4 += t4 * t4; s5 += t5 * t5; s6 += t6 * t6; s7 += t7 * t7;
        }
        for (; i < to; i++) {
            double t = a[i] - b[i];
            s0 += t * t;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** D^2 sampling with triangle-inequality pruning; keeps per item the nearest seed and bounds. */
    private static final class Seeder {
        final int[] seeds;
        final double[] potential;
        final int[] nearest;
        final double[] upper;   // distance to the nearest seed (exact)
        final float[][] lower;  // lower[i][t]: lower bound on the distance from item i to seed t, when kept

        Seeder(float[][] x, int k, long seed, boolean keepBounds) {
            check(x, k);
            int n = x.length;
            seeds = new int[k];
            potential = new double[k];
            nearest = new int[n];
            upper = new double[n];
            lower = keepBounds ? bounds(n, k) : null;
            double[] d2 = new double[n];
            boolean[] chosen = new boolean[n];
            Random random = new Random(seed);
            seeds[0] = random.nextInt(n);
            chosen[seeds[0]] = true;
            float[] first = x[seeds[0]];
            forBlocks(n, i -> {
                d2[i] = distance2(x[i], first);
                upper[i] = Math.sqrt(d2[i]);
                if (lower != null) lower[i][0] = (float) (upper[i] * (1 - SHAVE));
            });
            potential[0] = sum(d2);
            double[] farthest = new double[k];   // per seed, the largest distance of an item it is nearest to
            for (int t = 1; t < k; t++) {
                int next = draw(d2, chosen, random.nextDouble() * potential[t - 1]);
                seeds[t] = next;
                chosen[next] = true;
                float[] c = x[next];
                Arrays.fill(farthest, 0, t, 0);
                for (int i = 0; i < n; i++) farthest[nearest[i]] = Math.max(farthest[nearest[i]], upper[i]);
                // a lower bound on |c - s| for the earlier seeds s, from the leading coordinates, and
                // only up to 2 x (s's farthest item), beyond which it prunes all of s's items anyway
                double[] separation = new double[t];
                int tt = t, head = Math.min(HEAD, x[0].length);
                IntStream.range(0, (t + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                    for (int j = b * BLOCK, end = Math.min(tt, j + BLOCK); j < end; j++) {
                        double reach = 2 * farthest[j];
                        separation[j] = Math.sqrt(distance2(c, x[seeds[j]], reach * reach, head));
                    }
                });
                forBlocks(n, i -> {
                    double sep = separation[nearest[i]];
                    if (sep >= 2 * upper[i]) {         // c is at least as far as the current seed
                        if (lower != null) lower[i][tt] = (float) ((sep - upper[i]) * (1 - SHAVE));
                        return;
                    }
                    double e2 = distance2(x[i], c, d2[i]);
                    if (lower != null) lower[i][tt] = (float) (Math.sqrt(e2) * (1 - SHAVE));
                    if (e2 < d2[i]) {
                        nearest[i] = tt;
                        upper[i] = Math.sqrt(e2);
                        d2[i] = e2;
                    }
                });
                potential[t] = sum(d2);
            }
        }

        /** The item where the running sum of d2 passes target; when every d2 is 0, the first item not yet chosen. */
        private static int draw(double[] d2, boolean[] chosen, double target) {
            double acc = 0;
            int last = -1;
            for (int i = 0; i < d2.length; i++) {
                if (d2[i] <= 0 || chosen[i]) continue;
                acc += d2[i];
                last = i;
                if (acc > target) return i;
            }
            if (last >= 0) return last;           // rounding left the target just past the total
            for (int i = 0; i < chosen.length; i++) if (!chosen[i]) return i;
            throw new IllegalStateException("more seeds than items");
        }

        /** A sequential sum: the same total whatever the threads did. */
        private static double sum(double[] v) {
            double total = 0;
            for (double x : v) total += x;
            return total;
        }
    }

    /** Lloyd iterations with Elkan's bounds: an upper bound per item, a lower bound per item and centre. */
    private static final class Lloyd {
        private final Points points;
        private final float[][] x;
        private final int n, m, k;
        private final int[] assignment;
        private final double[] upper;
        private final float[][] lower;
        private final float[][] centres;
        private final double[][] between;  // lower bounds on the distances between centres
        private final double[] half;       // half of a lower bound on the distance from each centre to its nearest other centre

        Lloyd(Points points, int[] seeds, int[] assignment, double[] upper, float[][] lower) {
            this.points = points;
            this.x = points.rows;
            this.n = x.length;
            this.m = x[0].length;
            this.k = seeds.length;
            this.assignment = assignment;
            this.upper = upper;
            this.lower = lower;
            this.centres = new float[k][];
            for (int c = 0; c < k; c++) centres[c] = x[seeds[c]].clone();
            this.between = new double[k][k];
            this.half = new double[k];
        }

        /** Every item's nearest centre, and its distances or lower bounds to all (used when the seeding gave no bounds). */
        void assignAll() {
            forBlocks(n, i -> {
                float[] li = lower[i];
                double best = distance2(x[i], centres[0]);
                int a = 0;
                li[0] = (float) (Math.sqrt(best) * (1 - SHAVE));
                for (int c = 1; c < k; c++) {
                    double e2 = distance2(x[i], centres[c], best);
                    li[c] = (float) (Math.sqrt(e2) * (1 - SHAVE));
                    if (e2 < best) {
                        best = e2;
                        a = c;
                    }
                }
                assignment[i] = a;
                upper[i] = Math.sqrt(best);
            });
        }

        Result run(int maxIterations) {
            int iterations = 0;
            boolean converged = false;
            boolean[] dirty = new boolean[k];        // clusters whose members changed: only their means move
            Arrays.fill(dirty, true);
            float[] shrink = new float[k];
            while (iterations < maxIterations) {
                iterations++;
                double[] drift = update(dirty);
                boolean[] moved = new boolean[k];
                for (int c = 0; c < k; c++) {
                    moved[c] = drift[c] > 0 || iterations == 1;
                    shrink[c] = (float) drift[c];
                }
                refreshBetween(moved, drift);
                int[] changed = new int[(n + BLOCK - 1) / BLOCK];
                int[] previous = assignment.clone();
                IntStream.range(0, changed.length).parallel().forEach(b -> {
                    for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
                        int before = assignment[i];
                        float[] li = lower[i];
                        // a bound below zero says nothing, as zero would; leaving it negative keeps the loop a plain subtraction
                        for (int c = 0; c < k; c++) li[c] -= shrink[c];
                        upper[i] += drift[before];
                        if (assign(i) != before) changed[b]++;
                    }
                });
                Arrays.fill(dirty, false);
                for (int i = 0; i < n; i++) {
                    if (assignment[i] != previous[i]) dirty[assignment[i]] = dirty[previous[i]] = true;
                }
                if (IntStream.of(changed).sum() == 0) {
                    converged = true;
                    break;
                }
            }
            if (!converged) update(dirty);   // centres are the means of the final assignment
            return finish(iterations, converged);
        }

        /**
         * Elkan's step for item i: the distance to its centre is made exact, then each centre the
         * bounds cannot rule out is compared with it, by a partial distance search against the
         * current best.
         */
        private int assign(int i) {
            int a = assignment[i];
            double u = upper[i];
            if (u <= half[a]) return a;
            float[] li = lower[i];
            double[] ba = between[a];
            boolean open = false;
            for (int c = 0; c < k && !open; c++) open = c != a && u > li[c] && u > ba[c] / 2;
            if (!open) return a;
            double u2 = distance2(x[i], centres[a]);
            u = Math.sqrt(u2);
            li[a] = (float) (u * (1 - SHAVE));
            for (int c = 0; c < k; c++) {
                if (c == a || u <= li[c] || u <= between[a][c] / 2) continue;
                double e2 = distance2(x[i], centres[c], u2);
                li[c] = (float) (Math.sqrt(e2) * (1 - SHAVE));
                if (e2 < u2) {
                    a = c;
                    u2 = e2;
                    u = Math.sqrt(e2);
                }
            }
            assignment[i] = a;
            upper[i] = u;
            return a;
        }

        /**
         * Moves each dirty centre to the mean of its members; an emptied cluster takes the item
         * farthest from its centre. Returns how far each centre moved.
         */
        private double[] update(boolean[] dirty) {
            float[][] before = centres.clone();
            int[] size = new int[k];
            for (int a : assignment) size[a]++;
            for (int c = 0; c < k; c++) {
                if (size[c] == 0) {
                    int from = refill(c, size);
                    dirty[c] = dirty[from] = true;
                }
            }
            int[][] members = new int[k][];
            for (int c = 0; c < k; c++) members[c] = new int[size[c]];
            int[] fill = new int[k];
            for (int i = 0; i < n; i++) members[assignment[i]][fill[assignment[i]]++] = i;
            double[] drift = new double[k];
            IntStream.range(0, k).parallel().forEach(c -> {
                if (!dirty[c]) return;
                double[] sum = new double[m];
                for (int i : members[c]) {
                    float[] row = x[i];
                    for (int l = 0; l < m; l++) sum[l] += row[l];
                }
                float[] mean = new float[m];
                for (int l = 0; l < m; l++) mean[l] = (float) (sum[l] / members[c].length);
                drift[c] = Math.sqrt(distance2(mean, before[c]));
                centres[c] = mean;
            });
            return drift;
        }

        /** Moves the item farthest from its centre (by upper bound) into the empty cluster; returns its old cluster. */
        private int refill(int empty, int[] size) {
            int far = -1;
            for (int i = 0; i < n; i++) {
                if (size[assignment[i]] > 1 && (far < 0 || upper[i] > upper[far])) far = i;
            }
            int from = assignment[far];
            size[from]--;
            assignment[far] = empty;
            size[empty] = 1;
            upper[far] = 0;
            return from;
        }

        /**
         * Lower bounds on the distances between centres, for the pairs of which one moved: summed
         * over the leading coordinates only, and only until they pass twice the largest upper bound
         * of an item of either centre, which is all they are compared with. Then each centre's
         * half-gap to its nearest other.
         */
        private void refreshBetween(boolean[] moved, double[] drift) {
            double[] reach = new double[k];
            for (int i = 0; i < n; i++) reach[assignment[i]] = Math.max(reach[assignment[i]], upper[i]);
            for (int c = 0; c < k; c++) reach[c] = 2 * (reach[c] + drift[c]);
            int head = Math.min(HEAD, m);
            IntStream.range(0, k).parallel().forEach(c -> {
                for (int j = c + 1; j < k; j++) {
                    if (!moved[c] && !moved[j]) continue;
                    double limit = Math.max(reach[c], reach[j]);
                    between[c][j] = Math.sqrt(distance2(centres[c], centres[j], limit * limit, head)) * (1 - SHAVE);
                }
            });
            for (int c = 0; c < k; c++) {
                for (int j = c + 1; j < k; j++) between[j][c] = between[c][j];
            }
            for (int c = 0; c < k; c++) {
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) if (j != c) min = Math.min(min, between[c][j]);
                half[c] = k == 1 ? Double.POSITIVE_INFINITY : min / 2;
            }
        }

        private Result finish(int iterations, boolean converged) {
            double[] d2 = new double[n];
            forBlocks(n, i -> d2[i] = distance2(x[i], centres[assignment[i]]));
            int[] representative = new int[k];
            Arrays.fill(representative, -1);
            double inertia = 0;
            for (int i = 0; i < n; i++) {
                inertia += d2[i];
                int c = assignment[i];
                if (representative[c] < 0 || d2[i] < d2[representative[c]]) representative[c] = i;
            }
            float[][] out = new float[k][];
            for (int c = 0; c < k; c++) out[c] = points.unordered(centres[c]);
            return new Result(assignment, out, representative, inertia, iterations, converged);
        }
    }
}
