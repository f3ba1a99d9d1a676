package dev.exemplar.analysis;

import java.util.Arrays;
import java.util.Random;
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
 */
public final class KMeans {
    /** Items per parallel task: large enough that a task outweighs its scheduling. */
    private static final int BLOCK = 64;
    /** Largest n x k for the bounds matrix (4 bytes each). */
    static final long MAX_BOUNDS = 300_000_000L;
    /** Float sums of many terms are shaved by this much where they serve as lower bounds. */
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

    private KMeans() { }

    /** k-means++ seeding of k of the rows of x. */
    public static Seeding seed(float[][] x, int k, long seed) {
        Seeder s = new Seeder(x, k, seed, false);
        return new Seeding(s.seeds.clone(), s.potential.clone());
    }

    /** k clusters from k-means++ seeds, then Lloyd iterations until no assignment changes or maxIterations. */
    public static Result cluster(float[][] x, int k, long seed, int maxIterations) {
        Seeder s = new Seeder(x, k, seed, true);
        return new Lloyd(x, s.seeds, s.nearest, s.upper, s.lower).run(maxIterations);
    }

    /** Lloyd iterations from the given rows of x as the initial centres. */
    public static Result cluster(float[][] x, int[] seeds, int maxIterations) {
        check(x, seeds.length);
        Lloyd lloyd = new Lloyd(x, seeds, new int[x.length], new double[x.length], bounds(x.length, seeds.length));
        lloyd.assignAll();
        return lloyd.run(maxIterations);
    }

    private static void check(float[][] x, int k) {
        if (x.length == 0) throw new IllegalArgumentException("no items");
        if (k < 1 || k > x.length) throw new IllegalArgumentException("k = " + k + " for " + x.length + " items");
        int m = x[0].length;
        for (float[] row : x) if (row.length != m) throw new IllegalArgumentException("rows of different lengths");
    }

    private static float[][] bounds(int n, int k) {
        if ((long) n * k > MAX_BOUNDS) {
            throw new IllegalArgumentException(n + " items x " + k + " clusters is more distance bounds than fit in memory; use fewer clusters");
        }
        return new float[n][k];
    }

    private static void forBlocks(int n, java.util.function.IntConsumer body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) body.accept(i);
        });
    }

    /** Squared Euclidean distance, with eight partial sums so the additions overlap. */
    static double distance2(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0, m = a.length;
        for (; i + 7 < m; i += 8) {
            float t0 = a[i] - b[i], t1 = a[i + 1] - b[i + 1], t2 = a[i + 2] - b[i + 2], t3 = a[i + 3] - b[i + 3];
            float t4 = a[i + 4] - b[i + 4], t5 = a[i + 5] - b[i + 5], t6 = a[i + 6] - b[i + 6], t7 = a[i + 7] - b[i + 7];
            s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3;
            s4 += t4 * t4; s5 += t5 * t5; s6 += t6 * t6; s7 += t7 * t7;
        }
        for (; i < m; i++) {
            float t = a[i] - b[i];
            s0 += t * t;
        }
        return ((double) s0 + s1 + s2 + s3) + ((double) s4 + s5 + s6 + s7);
    }

    /**
     * Squared distances from one row to every centre, with the centres transposed (m x k) so the
     * inner loop runs over centres and vectorises; several times faster than k separate distances.
     */
    static void distancesToAll(float[] row, float[][] transposed, float[] out) {
        Arrays.fill(out, 0);
        int k = out.length;
        for (int l = 0; l < row.length; l++) {
            float v = row[l];
            float[] c = transposed[l];
            for (int j = 0; j < k; j++) {
                float t = v - c[j];
                out[j] += t * t;
            }
        }
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
                if (lower != null) lower[i][0] = (float) upper[i];
            });
            potential[0] = sum(d2);
            for (int t = 1; t < k; t++) {
                int next = draw(d2, chosen, random.nextDouble() * potential[t - 1]);
                seeds[t] = next;
                chosen[next] = true;
                float[] c = x[next];
                double[] row = new double[t];
                int tt = t;
                IntStream.range(0, t).parallel().forEach(j -> row[j] = Math.sqrt(distance2(c, x[seeds[j]])));
                forBlocks(n, i -> {
                    double sep = row[nearest[i]];
                    if (sep >= 2 * upper[i]) {         // c is at least as far as the current seed
                        if (lower != null) lower[i][tt] = (float) ((sep - upper[i]) * (1 - SHAVE));
                        return;
                    }
                    double e2 = distance2(x[i], c);
                    double e = Math.sqrt(e2);
                    if (lower != null) lower[i][tt] = (float) (e * (1 - SHAVE));
                    if (e2 < d2[i]) {
                        nearest[i] = tt;
                        upper[i] = e;
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
        private final float[][] x;
        private final int n, m, k;
        private final int[] assignment;
        private final double[] upper;
        private final float[][] lower;
        private final float[][] centres;
        private float[][] transposed;
        private final double[][] between;  // distances between centres
        private final double[] half;       // half the distance from each centre to its nearest other centre

        Lloyd(float[][] x, int[] seeds, int[] assignment, double[] upper, float[][] lower) {
            this.x = x;
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
            transpose();
        }

        /** Exact distances from every item to every centre (used when the seeding gave no bounds). */
        void assignAll() {
            forBlocks(n, i -> scan(i, new float[k]));
        }

        Result run(int maxIterations) {
            int iterations = 0;
            boolean converged = false;
            boolean[] dirty = new boolean[k];        // clusters whose members changed: only their means move
            Arrays.fill(dirty, true);
            while (iterations < maxIterations) {
                iterations++;
                double[] drift = update(dirty);
                boolean[] moved = new boolean[k];
                for (int c = 0; c < k; c++) moved[c] = drift[c] > 0 || iterations == 1;
                refreshBetween(moved);
                int[] changed = new int[(n + BLOCK - 1) / BLOCK];
                int[] previous = assignment.clone();
                IntStream.range(0, changed.length).parallel().forEach(b -> {
                    float[] buffer = new float[k];
                    for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
                        int before = assignment[i];
                        float[] li = lower[i];
                        for (int c = 0; c < k; c++) li[c] = (float) Math.max(0, li[c] - drift[c]);
                        upper[i] += drift[before];
                        if (assign(i, buffer) != before) changed[b]++;
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
         * Elkan's step for item i: centres the bounds cannot rule out are measured, one by one when
         * they are few, all at once (vectorised) when they are many.
         */
        private int assign(int i, float[] buffer) {
            int a = assignment[i];
            double u = upper[i];
            if (u <= half[a]) return a;
            float[] li = lower[i];
            double[] ba = between[a];
            int open = 0;
            for (int c = 0; c < k; c++) if (c != a && u > li[c] && u > ba[c] / 2) open++;
            if (open == 0) return a;
            if (open > k / 8) return scan(i, buffer);
            u = Math.sqrt(distance2(x[i], centres[a]));
            li[a] = (float) (u * (1 - SHAVE));
            for (int c = 0; c < k; c++) {
                if (c == a || u <= li[c] || u <= between[a][c] / 2) continue;
                double dc = Math.sqrt(distance2(x[i], centres[c]));
                li[c] = (float) (dc * (1 - SHAVE));
                if (dc < u) {
                    a = c;
                    u = dc;
                }
            }
            assignment[i] = a;
            upper[i] = u;
            return a;
        }

        /** Item i's distances to all centres: exact lower bounds for all, and its nearest centre; returns it. */
        private int scan(int i, float[] buffer) {
            distancesToAll(x[i], transposed, buffer);
            int best = 0;
            float[] li = lower[i];
            for (int c = 0; c < k; c++) {
                li[c] = (float) (Math.sqrt(buffer[c]) * (1 - SHAVE));
                if (buffer[c] < buffer[best]) best = c;
            }
            assignment[i] = best;
            // the vectorised sums are float: the exact distance to the winner keeps the upper bound sound
            upper[i] = Math.sqrt(distance2(x[i], centres[best]));
            return best;
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
                for (int l = 0; l < m; l++) transposed[l][c] = mean[l];
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

        /** Distances between centres, for the rows of those that moved; then each centre's half-gap to its nearest other. */
        private void refreshBetween(boolean[] moved) {
            IntStream.range(0, k).parallel().forEach(c -> {
                if (!moved[c]) return;
                float[] buffer = new float[k];
                distancesToAll(centres[c], transposed, buffer);
                for (int j = 0; j < k; j++) between[c][j] = Math.sqrt(buffer[j]) * (1 - SHAVE);
            });
            for (int c = 0; c < k; c++) {
                if (!moved[c]) continue;
                for (int j = 0; j < k; j++) between[j][c] = between[c][j];
            }
            for (int c = 0; c < k; c++) {
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) if (j != c) min = Math.min(min, between[c][j]);
                // float sums: shaved a little so the bound stays on the safe side
                half[c] = k == 1 ? Double.POSITIVE_INFINITY : min / 2 * (1 - SHAVE);
            }
        }

        private void transpose() {
            float[][] t = new float[m][k];
            for (int c = 0; c < k; c++) {
                float[] centre = centres[c];
                for (int l = 0; l < m; l++) t[l][c] = centre[l];
            }
            transposed = t;
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
            return new Result(assignment, centres, representative, inertia, iterations, converged);
        }
    }
}
