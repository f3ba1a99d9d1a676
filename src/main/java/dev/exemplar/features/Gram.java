package dev.exemplar.features;

import java.util.stream.IntStream;

/**
 * Sums of outer products of matrix rows, G += sign * A^T A over some rows of A, in double
 * precision and on the upper triangle only: the Gram matrix of the pivoted QR (n d^2 / 2
 * multiply-adds) and the trailing updates of its Cholesky factorisation (d^3 / 6) are both this.
 *
 * <p>The kernel adds four rows of A into one row of G per pass ({@code g[v] += a0 x0[v] + a1 x1[v]
 * + a2 x2[v] + a3 x3[v]}): the JIT vectorises that loop, and G is loaded and stored once per four
 * products instead of once per product, which is what bounds the speed of the one-row form. (Loops
 * over more rows at once, of A or of G, ran at less than half that speed, not vectorised; a
 * dot-product loop, a reduction, is not vectorised at all.) G is cut into tiles of
 * {@value #BLOCK} rows by {@value #TILE} columns: a tile stays in the level-2 cache while the rows
 * of A stream past four at a time, each four used for every row of the tile while they are in the
 * level-1 cache (the sizes were the fastest measured on 5,000 x 3,072). Each tile is one task, so
 * no two threads write the same numbers, and every entry is summed in the same order whatever the
 * threads do.
 */
final class Gram {
    /** Rows of G per tile. */
    private static final int BLOCK = 128;
    /** Columns of G per tile: 128 x 512 doubles are 512 KB. */
    private static final int TILE = 512;

    private Gram() { }

    /** The upper triangle of X^T X (entries below the diagonal are zero): d arrays of length d. */
    static double[][] upper(double[][] x, int d) {
        double[][] g = new double[d][d];
        addProducts(x, 0, x.length, 1, g, 0, d);
        return g;
    }

    /**
     * G[u][v] += sign * sum over rows r in [r0, r1) of A[r][u] A[r][v], for from &lt;= u &lt;= v &lt; d.
     * {@code sign} is 1 or -1 (negating a product is exact, so -1 subtracts exactly).
     */
    static void addProducts(double[][] a, int r0, int r1, double sign, double[][] g, int from, int d) {
        if (r0 >= r1 || from >= d) return;
        int span = d - from;
        int blocks = (span + BLOCK - 1) / BLOCK, tiles = (span + TILE - 1) / TILE;
        // tiles at or right of the diagonal, as (row block, column tile) pairs
        int[] tasks = IntStream.range(0, blocks * tiles)
                .filter(t -> from + (t % tiles + 1) * TILE > from + (t / tiles) * BLOCK)
                .toArray();
        IntStream.range(0, tasks.length).parallel().forEach(t -> {
            int u0 = from + (tasks[t] / tiles) * BLOCK, v0 = from + (tasks[t] % tiles) * TILE;
            tile(a, r0, r1, sign, g, u0, Math.min(d, u0 + BLOCK), v0, Math.min(d, v0 + TILE));
        });
    }

    /** One tile: rows [u0, u1) and columns [v0, v1) of G, only where v >= u. */
    private static void tile(double[][] a, int r0, int r1, double sign, double[][] g, int u0, int u1, int v0, int v1) {
        int r = r0;
        for (; r + 3 < r1; r += 4) {
            double[] x0 = a[r], x1 = a[r + 1], x2 = a[r + 2], x3 = a[r + 3];
            for (int u = u0; u < u1; u++) {
                int from = Math.max(v0, u);
                if (from < v1) {
                    addFour(g[u], x0, x1, x2, x3, sign * x0[u], sign * x1[u], sign * x2[u], sign * x3[u], from, v1);
                }
            }
        }
        for (; r < r1; r++) {
            double[] x0 = a[r];
            for (int u = u0; u < u1; u++) {
                int from = Math.max(v0, u);
                if (from < v1) addOne(g[u], x0, sign * x0[u], from, v1);
            }
        }
    }

    /** The kernel: g[v] += a0 x0[v] + a1 x1[v] + a2 x2[v] + a3 x3[v]. */
    private static void addFour(double[] g, double[] x0, double[] x1, double[] x2, double[] x3,
                                double a0, double a1, double a2, double a3, int v0, int v1) {
        for (int v = v0; v < v1; v++) g[v] += (a0 * x0[v] + a1 * x1[v]) + (a2 * x2[v] + a3 * x3[v]);
    }

    private static void addOne(double[] g, double[] x0, double a0, int v0, int v1) {
        for (int v = v0; v < v1; v++) g[v] += a0 * x0[v];
    }
}
