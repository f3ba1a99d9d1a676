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
    record Seeding(int[] seeds, double[] potential) { }

    /**
     * @param assignment     cluster of each item
     * @param centres        the mean of each cluster
     * @param representative the member of each cluster nearest its centre (lowest index on ties)
     * @param inertia        sum of squared distances of the items to their centres
     * @param iterations     Lloyd iterations run
     * @param converged      the last iteration changed no assignment (otherwise maxIterations ended it)
     */
    record Result(int[] assignment, float[][] centres, int[] representative, double inertia,
                         int iterations, boolean converged) { }

    /**
     * Items as k-means reads them: some of the columns of a matrix, copied into one array (which the
     * garbage collector never copies, where thousands of rows it would) with the coordinates in
     * order of decreasing variance, so partial sums of squared differences grow fastest; and that
     * order, to give centres back in the columns' order.
     */
    static final class Points {
        /** Rows used to estimate the variances: the order only steers the speed of the search. */
        private static final int SAMPLE = 1024;
        final float[] data;    // n x m, row-major
        final int n, m;
        final int[] columns;   // columns[l]: which of the kept columns coordinate l holds

        private Points(float[] data, int n, int m, int[] columns) {
            this.data = data;
            this.n = n;
            this.m = m;
            this.columns = columns;
        }

        /** The given columns of x (all of them when null), reordered by decreasing variance. */
        static Points of(float[][] x, int[] columns) {
            if (x.length == 0) throw new IllegalArgumentException("no items");
            int d = x[0].length;
            for (float[] row : x) if (row.length != d) throw new IllegalArgumentException("rows of different lengths");
            int[] kept = columns == null ? IntStream.range(0, d).toArray() : columns;
            int n = x.length, width = kept.length;
            double[] variance = new double[width];
            int step = Math.max(1, n / SAMPLE);
            for (int i = 0; i < n; i += step) {
                float[] row = x[i];
                for (int l = 0; l < width; l++) variance[l] += row[kept[l]];
            }
            double count = (n + step - 1) / step;
            for (int l = 0; l < width; l++) variance[l] /= count;                   // the means, first
            double[] spread = new double[width];
            for (int i = 0; i < n; i += step) {
                float[] row = x[i];
                for (int l = 0; l < width; l++) {
                    double e = row[kept[l]] - variance[l];
                    spread[l] += e * e;
                }
            }
            int[] order = IntStream.range(0, width).boxed()
                    .sorted((a, b) -> spread[a] != spread[b] ? Double.compare(spread[b], spread[a]) : Integer.compare(a, b))
                    .mapToInt(Integer::intValue).toArray();
            int[] source = new int[width];
            for (int l = 0; l < width; l++) source[l] = kept[order[l]];
            int m = Math.max(width, 1);                 // no column: one zero coordinate, all items alike
            if ((long) n * m > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(n + " items x " + m + " coordinates do not fit in one array");
            float[] data = new float[n * m];
            forBlocks(n, i -> {
                float[] in = x[i];
                int base = i * m;
                for (int l = 0; l < width; l++) data[base + l] = in[source[l]];
            });
            return new Points(data, n, m, order);
        }

        int size() {
            return n;
        }

        /** Item i's coordinates, copied. */
        float[] row(int i) {
            return Arrays.copyOfRange(data, i * m, i * m + m);
        }

        /** A centre in the input's column order (of the kept columns). */
        float[] unordered(float[] centre) {
            float[] out = new float[columns.length];
            for (int l = 0; l < columns.length; l++) out[columns[l]] = centre[l];
            return out;
        }
    }

    private KMeans() { }

    /** k-means++ seeding of k of the rows of x. */
    static Seeding seed(float[][] x, int k, long seed) {
        return seed(Points.of(x, null), k, seed);
    }

    static Seeding seed(Points points, int k, long seed) {
        Seeder s = new Seeder(points, k, seed, false);
        return new Seeding(s.seeds.clone(), s.potential.clone());
    }

    /** The centres of {@link #cluster(float[][], int, long, int)}: for callers outside that only place items by them. */
    public static float[][] centres(float[][] x, int k, long seed, int maxIterations) {
        return cluster(x, k, seed, maxIterations).centres();
    }

    /** k clusters from k-means++ seeds, then Lloyd iterations until no assignment changes or maxIterations. */
    static Result cluster(float[][] x, int k, long seed, int maxIterations) {
        return cluster(Points.of(x, null), k, seed, maxIterations);
    }

    static Result cluster(Points points, int k, long seed, int maxIterations) {
        Seeder s = new Seeder(points, k, seed, true);
        return new Lloyd(points, s.seeds, s.nearest, s.upper, s.lower).run(maxIterations);
    }

    /** Lloyd iterations from the given rows of x as the initial centres. */
    static Result cluster(float[][] x, int[] seeds, int maxIterations) {
        Points points = Points.of(x, null);
        check(points.n, seeds.length);
        Lloyd lloyd = new Lloyd(points, seeds, new int[x.length], new double[x.length], bounds(x.length, seeds.length));
        lloyd.assignAll();
        return lloyd.run(maxIterations);
    }

    private static void check(int n, int k) {
        if (n == 0) throw new IllegalArgumentException("no items");
        if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " for " + n + " items");
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

    /** Squared Euclidean distance, in double: differences of floats are exact in double, so only the sums round. */
    static double distance2(float[] a, float[] b) {
        return distance2(a, 0, b, 0, a.length, Double.POSITIVE_INFINITY);
    }

    /**
     * The squared distance between a[ao..ao+length) and b[bo..bo+length) if it is below
     * {@code limit}; otherwise some partial sum of it that is at least {@code limit} (a lower bound).
     * Blocks of {@value #CHUNK} coordinates are summed in a fixed order and every block's sum is
     * non-negative, so the running sum never decreases, even rounded: when it stops early the full
     * sum would not have been below the limit either, and when it does not, the value is exactly
     * the full sum.
     */
    private static double distance2(float[] a, int ao, float[] b, int bo, int length, double limit) {
        double sum = 0;
        for (int start = 0; start < length; start += CHUNK) {
            sum += block(a, ao + start, b, bo + start, Math.min(CHUNK, length - start));
            if (sum >= limit) break;
        }
        return sum;
    }

    /** Sum of squared differences of a[ao..ao+length) and b[bo..bo+length), with eight partial sums so the additions overlap. */
    private static double block(float[] a, int ao, float[] b, int bo, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            int p = ao + i, q = bo + i;
            double t0 = (double) a[p] - b[q], t1 = (double) a[p + 1] - b[q + 1];
            double t2 = (double) a[p + 2] - b[q + 2], t3 = (double) a[p + 3] - b[q + 3];
            double t4 = (double) a[p + 4] - b[q + 4], t5 = (double) a[p + 5] - b[q + 5];
            double t6 = (double) a[p + 6] - b[q + 6], t7 = (double) a[p + 7] - b[q + 7];
            s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3;
            s4 += t4 * t4; s5 += t5 * t5; s6 += t6 * t6; s7 += t7 * t7;
        }
        for (; i < length; i++) {
            double t = (double) a[ao + i] - b[bo + i];
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

        Seeder(Points points, int k, long seed, boolean keepBounds) {
            int n = points.n, m = points.m;
            check(n, k);
            float[] x = points.data;
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
            int first = seeds[0] * m;
            forBlocks(n, i -> {
                d2[i] = distance2(x, i * m, x, first, m, Double.POSITIVE_INFINITY);
                upper[i] = Math.sqrt(d2[i]);
                if (lower != null) lower[i][0] = (float) (upper[i] * (1 - SHAVE));
            });
            potential[0] = sum(d2);
            double[] farthest = new double[k];   // per seed, the largest distance of an item it is nearest to
            int head = Math.min(HEAD, m);
            for (int t = 1; t < k; t++) {
                int next = draw(d2, chosen, random.nextDouble() * potential[t - 1]);
                seeds[t] = next;
                chosen[next] = true;
                int c = next * m;
                Arrays.fill(farthest, 0, t, 0);
                for (int i = 0; i < n; i++) farthest[nearest[i]] = Math.max(farthest[nearest[i]], upper[i]);
                // a lower bound on |c - s| for the earlier seeds s, from the leading coordinates, and
                // only up to 2 x (s's farthest item), beyond which it prunes all of s's items anyway
                double[] separation = new double[t];
                int tt = t;
                IntStream.range(0, (t + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                    for (int j = b * BLOCK, end = Math.min(tt, j + BLOCK); j < end; j++) {
                        double reach = 2 * farthest[j];
                        separation[j] = Math.sqrt(distance2(x, c, x, seeds[j] * m, head, reach * reach));
                    }
                });
                forBlocks(n, i -> {
                    double sep = separation[nearest[i]];
                    if (sep >= 2 * upper[i]) {         // c is at least as far as the current seed
                        if (lower != null) lower[i][tt] = (float) ((sep - upper[i]) * (1 - SHAVE));
                        return;
                    }
                    double e2 = distance2(x, i * m, x, c, m, d2[i]);
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
        private final float[] x;           // the items, n x m
        private final int n, m, k;
        private final int[] assignment;
        private final double[] upper;
        private final float[][] lower;
        private final float[][] centres;
        private final double[][] between;  // lower bounds on the distances between centres
        private final double[] half;       // half of a lower bound on the distance from each centre to its nearest other centre

        Lloyd(Points points, int[] seeds, int[] assignment, double[] upper, float[][] lower) {
            this.points = points;
            this.x = points.data;
            this.n = points.n;
            this.m = points.m;
            this.k = seeds.length;
            this.assignment = assignment;
            this.upper = upper;
            this.lower = lower;
            this.centres = new float[k][];
            for (int c = 0; c < k; c++) centres[c] = points.row(seeds[c]);
            this.between = new double[k][k];
            this.half = new double[k];
        }

        /** Every item's nearest centre, and its distances or lower bounds to all (used when the seeding gave no bounds). */
        void assignAll() {
            forBlocks(n, i -> {
                float[] li = lower[i];
                double best = distance2(x, i * m, centres[0], 0, m, Double.POSITIVE_INFINITY);
                int a = 0;
                li[0] = (float) (Math.sqrt(best) * (1 - SHAVE));
                for (int c = 1; c < k; c++) {
                    double e2 = distance2(x, i * m, centres[c], 0, m, best);
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
                    shrink[c] = drift[c] > 0 ? Math.nextUp((float) drift[c]) : 0;   // rounded up: bounds only loosen
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
            double u2 = distance2(x, i * m, centres[a], 0, m, Double.POSITIVE_INFINITY);
            u = Math.sqrt(u2);
            li[a] = (float) (u * (1 - SHAVE));
            for (int c = 0; c < k; c++) {
                if (c == a || u <= li[c] || u <= between[a][c] / 2) continue;
                double e2 = distance2(x, i * m, centres[c], 0, m, u2);
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
            int[] moving = IntStream.range(0, k).filter(c -> dirty[c]).toArray();
            double[] drift = new double[k];
            int group = 16;                              // clusters per task, sharing one array of sums
            IntStream.range(0, (moving.length + group - 1) / group).parallel().forEach(b -> {
                double[] sum = new double[m];
                for (int j = b * group, end = Math.min(moving.length, j + group); j < end; j++) {
                    int c = moving[j];
                    Arrays.fill(sum, 0);
                    for (int i : members[c]) {
                        int base = i * m;
                        for (int l = 0; l < m; l++) sum[l] += x[base + l];
                    }
                    float[] centre = centres[c];
                    double moved2 = 0;
                    for (int l = 0; l < m; l++) {
                        float mean = (float) (sum[l] / members[c].length);
                        double t = (double) mean - centre[l];
                        moved2 += t * t;
                        centre[l] = mean;
                    }
                    drift[c] = Math.sqrt(moved2);
                }
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
                    between[c][j] = Math.sqrt(distance2(centres[c], 0, centres[j], 0, head, limit * limit)) * (1 - SHAVE);
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
            forBlocks(n, i -> d2[i] = distance2(x, i * m, centres[assignment[i]], 0, m, Double.POSITIVE_INFINITY));
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
