package dev.exemplar.features;

import java.util.stream.IntStream;

/**
 * The Gram matrix X^T X of an n x d matrix given by rows, in double precision. Its cost, n d^2 / 2
 * multiply-adds, is what the pivoted QR selection pays for a factorisation that then works on
 * d x d numbers only, so it is blocked for the caches and split across threads.
 */
final class Gram {
    /** Rows of X per pass: their slice of one column tile stays in the level-2 cache while every row block of G reads it. */
    private static final int ROWS = 128;
    /** Columns of G per tile: four rows of a tile stay in the level-1 cache while the rows of X stream past. */
    private static final int TILE = 512;

    private Gram() { }

    /** The upper triangle of X^T X (entries below the diagonal are left at zero): d arrays of length d. */
    static double[][] upper(double[][] x, int d) {
        double[][] g = new double[d][d];
        int n = x.length;
        int blocks = (d + 3) / 4;
        // one task per block of four rows of G: no two tasks write the same row, and the earlier
        // (longer) rows are spread over the tasks by taking blocks in interleaved order
        int tasks = Math.min(blocks, 8 * Runtime.getRuntime().availableProcessors());
        for (int start = 0; start < n; start += ROWS) {
            int r0 = start, r1 = Math.min(n, start + ROWS);
            IntStream.range(0, tasks).parallel().forEach(t -> {
                for (int b = t; b < blocks; b += tasks) {
                    int u = 4 * b;
                    for (int v0 = u; v0 < d; v0 += TILE) {
                        accumulate(x, g, r0, r1, u, Math.min(d, u + 4), v0, Math.min(d, v0 + TILE));
                    }
                }
            });
        }
        return g;
    }

    /** G[u][v] += sum over rows r of X[r][u] X[r][v], for u in [u0, u1) (at most 4) and v in [v0, v1), v >= u. */
    private static void accumulate(double[][] x, double[][] g, int r0, int r1, int u0, int u1, int v0, int v1) {
        if (u1 - u0 == 4) {
            double[] g0 = g[u0], g1 = g[u0 + 1], g2 = g[u0 + 2], g3 = g[u0 + 3];
            for (int r = r0; r < r1; r++) {
                double[] xr = x[r];
                double a0 = xr[u0], a1 = xr[u0 + 1], a2 = xr[u0 + 2], a3 = xr[u0 + 3];
                // entries left of the diagonal are computed too (the first tile only) and cleared below
                for (int v = v0; v < v1; v++) {
                    double xv = xr[v];
                    g0[v] += a0 * xv;
                    g1[v] += a1 * xv;
                    g2[v] += a2 * xv;
                    g3[v] += a3 * xv;
                }
            }
            if (v0 == u0 && r1 == x.length) {
                for (int i = 1; i < 4; i++) java.util.Arrays.fill(g[u0 + i], u0, u0 + i, 0);
            }
            return;
        }
        for (int u = u0; u < u1; u++) {
            double[] gu = g[u];
            for (int r = r0; r < r1; r++) {
                double[] xr = x[r];
                double a = xr[u];
                for (int v = Math.max(v0, u); v < v1; v++) gu[v] += a * xr[v];
            }
        }
    }
}
