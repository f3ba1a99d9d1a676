package dev.exemplar.analysis;

import dev.exemplar.features.PivotedQr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Algorithm 1 of the wavelet paper: constant coefficients dropped, pivoted QR keeps the m most
 * independent ones while their condition number stays below tau, k-means++ seeded k-means on them.
 * A plain version, to be replaced by the fast one.
 */
public final class WaveletClustering {
    public record Options(double tau, int clusters, long seed) {
        public static Options defaults() {
            return new Options(1e5, 0, 12345L);
        }
    }

    public record Result(int n, int d, int nonConstant, int m, double conditionBefore, double conditionAfter, int numericalRank,
                         int clusters, int[] assignment, int[] representative, int[] kept, Map<String, Double> seconds) { }

    private WaveletClustering() { }

    public static Result run(float[][] x, Options o) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t = System.nanoTime();
        int n = x.length, d = x[0].length;
        double[] w = new double[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) w[i * d + j] = x[i][j];
        int[] varying = PivotedQr.dropConstantColumns(w, n, d);
        PivotedQr.Selection s = PivotedQr.select(w, n, d, varying, o.tau(), Integer.MAX_VALUE);
        int m = s.numericalRank();
        seconds.put("qr", (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        float[][] y = new float[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) y[i][j] = x[i][s.columns()[j]];
        int k = o.clusters() > 0 ? Math.min(o.clusters(), n) : Math.max(1, (int) Math.round(0.94 * n));
        KMeans.Result km = KMeans.run(y, k, o.seed());
        seconds.put("kmeans", (System.nanoTime() - t) / 1e9);
        return new Result(n, d, varying.length, m, Double.NaN, s.exactCondition(), m, k, km.assignment(), km.representative(),
                s.columns(), seconds);
    }
}
