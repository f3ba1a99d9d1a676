package dev.exemplar.analysis;

import dev.exemplar.features.PivotedQr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Algorithm 1 of the wavelet paper, from the coefficient matrix to clusters: coefficients that are
 * constant over the items are dropped; rank-revealing QR keeps the most independent of the others,
 * as many as keep the condition number of the kept columns below tau; k-means with k-means++
 * seeding clusters the items on those columns. Which clusters are redundant or influential is for
 * the caller, who knows the classes.
 *
 * <p>The QR is {@link PivotedQr} (exact column pivoting, computed through the Gram matrix), stopped
 * on the estimate |R_11| / |R_kk| &gt; tau; the kept set is then cut to the longest prefix whose
 * exact 2-norm condition number is at most tau, so {@code conditionAfter} never exceeds tau.
 */
public final class WaveletClustering {
    /** Lloyd iterations at most (scikit-learn's default); Hamerly's bounds make the late ones cheap. */
    static final int MAX_ITERATIONS = 300;

    /** tau: condition-number bound for the kept coefficients (paper default 1e5); clusters: n_c, or 0 = choose automatically; seed: k-means++ seed. */
    public record Options(double tau, int clusters, long seed) {
        public Options {
            if (!(tau >= 1)) throw new IllegalArgumentException("tau must be at least 1: " + tau);
            if (clusters < 0) throw new IllegalArgumentException("clusters must be 0 (automatic) or positive: " + clusters);
        }

        public static Options defaults() { return new Options(1e5, 0, 12345L); }
    }

    /**
     * n, d: input size; nonConstant: coefficients left after dropping constant ones; m: kept by RRQR;
     * conditionBefore / conditionAfter: condition number of the non-constant coefficient matrix and of the kept columns;
     * numericalRank: numerical rank found by the RRQR; clusters: n_c used; assignment[i]: cluster of item i;
     * representative[c]: the item nearest cluster c's centre; kept: indices of the kept coefficients;
     * seconds: per phase in run order, e.g. "constant", "rrqr", "kmeans" (LinkedHashMap).
     *
     * <p>conditionAfter is the exact 2-norm condition number of the n x m kept columns (from their R
     * factor). conditionBefore is the same exact figure when every non-constant coefficient is kept
     * (the two matrices are then one); otherwise tau ended the selection and it is the RRQR estimate
     * |R_11| / |R_m+1,m+1| of the first rejected coefficient, a lower bound on the true value (the
     * condition number of any set of columns is at most that of all of them), infinite when that
     * coefficient is numerically a combination of the kept ones. numericalRank is the number of
     * pivots before |R_11| / |R_kk| exceeded tau, the paper's "numerical rank at tolerance 1 / tau".
     */
    public record Result(int n, int d, int nonConstant, int m, double conditionBefore, double conditionAfter, int numericalRank,
                         int clusters, int[] assignment, int[] representative, int[] kept, Map<String, Double> seconds) { }

    private WaveletClustering() { }

    /** x: n rows of d wavelet coefficients (row i = item i). Uses both cores. */
    public static Result run(float[][] x, Options options) {
        int n = x.length;
        if (n == 0) throw new IllegalArgumentException("no items");
        int d = x[0].length;
        if (options.clusters() > n) throw new IllegalArgumentException(options.clusters() + " clusters for " + n + " items");
        Map<String, Double> seconds = new LinkedHashMap<>();
        Clock clock = new Clock(seconds);

        int[] nonConstant = PivotedQr.dropConstantColumns(x);
        clock.lap("constant");

        PivotedQr.Selection selection = PivotedQr.select(x, nonConstant, options.tau(), Integer.MAX_VALUE);
        clock.lap("rrqr");

        double exact = selection.numericalRank() == 0 ? Double.NaN : selection.exactCondition();
        PivotedQr.Selection kept = exact <= options.tau() ? selection : selection.trimmedTo(options.tau());
        double after = kept == selection ? exact : kept.exactCondition();
        boolean all = kept.numericalRank() == nonConstant.length;
        double before = all ? after
                : selection.stop() == PivotedQr.Stop.CONDITION ? selection.rejectedEstimate()
                : Double.POSITIVE_INFINITY;   // fewer items than coefficients: the columns cannot all be independent
        clock.lap("condition");

        int m = kept.numericalRank();
        int[] columns = kept.columns();
        float[][] y = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] row = new float[Math.max(m, 1)];          // nothing varies: one zero column, all items alike
            for (int j = 0; j < m; j++) row[j] = x[i][columns[j]];
            y[i] = row;
        });
        clock.lap("project");

        int clusters = options.clusters();
        if (clusters == 0) {
            clusters = ClusterCount.bySeedingPotential(y, options.seed());
            clock.lap("choose_clusters");
        }
        KMeans.Result km = KMeans.cluster(y, clusters, options.seed(), MAX_ITERATIONS);
        clock.lap("kmeans");

        return new Result(n, d, nonConstant.length, m, before, after, selection.numericalRank(), clusters,
                km.assignment(), km.representative(), columns, seconds);
    }

    /** Seconds since the previous lap, recorded under each phase's name in run order. */
    private static final class Clock {
        private final Map<String, Double> seconds;
        private long last = System.nanoTime();

        Clock(Map<String, Double> seconds) {
            this.seconds = seconds;
        }

        void lap(String phase) {
            long now = System.nanoTime();
            seconds.put(phase, (now - last) / 1e9);
            last = now;
        }
    }
}
