package dev.exemplar.features;

import java.util.stream.IntStream;

/**
 * Sums of outer products of matrix rows, G += sign * A^T A over some rows of A, in double
 * precision and on the upper triangle only: the Gram matrix of the pivoted QR (n d^2 / 2
 * multiply-adds) and the trailing updates of its Cholesky factorisation (d^3 / 6) are both this.
 * G's upper triangle is one array, rows packed ({@link UpperPacked}): a large array, which the
 * garbage collector never copies, rather than thousands of rows, which it copies while they live.
 *
 * <p>The kernel adds four rows of A into one row of G per pass ({@code g[v] += a0 x0[v] + a1 x1[v]
 * + a2 x2[v] + a3 x3[v]}): the JIT vectorises that loop, and G is loaded and stored once per four
 * products instead of once per product, which is what bounds the speed of the one-row form. (Loops
 * over more rows at once, of A or of G, ran at less than half that speed, not vectorised, and so
 * did this one when its arrays were indexed with different offsets; a dot-product loop, a
 * reduction, is not vectorised at all.) So G is cut into tiles of {@value #BLOCK} rows by
 * {@value #TILE} columns, each summed in row arrays of its own that stay in the level-2 cache,
 * while the rows of A stream past four at a time, each four copied (as doubles) into four arrays
 * that stay in the level-1 cache while they are used for every row of the tile. The sizes were the
 * fastest measured on 5,000 x 3,072. Each tile is one task, so no two threads write the same
 * numbers, and every entry is summed in the same order whatever the threads do.
 */
final class Gram {
    /** Rows of G per tile. */
    private static final int BLOCK = 128;
    /** Columns of G per tile: 128 x 512 doubles are 512 KB. */
    private static final int TILE = 512;
    /** A tile's arrays, kept per thread: allocating them per tile touched fresh memory at a cost that showed. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The rows of A, read a stretch at a time as doubles. */
    interface Rows {
        /** into[0..to-from) = A[row][from..to). */
        void copy(int row, int from, int to, double[] into);

        double get(int row, int column);
    }

    /** Rows of a row-major matrix of doubles, {@code stride} apart. */
    static Rows of(double[] a, int stride) {
        return new Rows() {
            @Override
            public void copy(int row, int from, int to, double[] into) {
                System.arraycopy(a, row * stride + from, into, 0, to - from);
            }

            @Override
            public double get(int row, int column) {
                return a[row * stride + column];
            }
        };
    }

    /** Rows of a row-major matrix of floats, {@code stride} apart. */
    static Rows of(float[] a, int stride) {
        return new Rows() {
            @Override
            public void copy(int row, int from, int to, double[] into) {
                int o = row * stride;
                for (int i = from; i < to; i++) into[i - from] = a[o + i];
            }

            @Override
            public double get(int row, int column) {
                return a[row * stride + column];
            }
        };
    }

    /** The rows of an upper-triangular matrix with n columns, rows packed; a row is read from its diagonal on. */
    static Rows upperRows(double[] a, int n) {
        return new Rows() {
            @Override
            public void copy(int row, int from, int to, double[] into) {
                System.arraycopy(a, UpperPacked.index(row, from, n), into, 0, to - from);
            }

            @Override
            public double get(int row, int column) {
                return a[UpperPacked.index(row, column, n)];
            }
        };
    }

    /** Rows given as arrays of floats. */
    static Rows of(float[][] rows) {
        return new Rows() {
            @Override
            public void copy(int row, int from, int to, double[] into) {
                float[] r = rows[row];
                for (int i = from; i < to; i++) into[i - from] = r[i];
            }

            @Override
            public double get(int row, int column) {
                return rows[row][column];
            }
        };
    }

    private static final class Scratch {
        final double[][] tile = new double[BLOCK][TILE];
        final double[] x0 = new double[TILE], x1 = new double[TILE], x2 = new double[TILE], x3 = new double[TILE];
    }

    private Gram() { }

    /** The upper triangle of X^T X for X of n rows and d columns, rows packed. */
    static double[] upper(Rows x, int n, int d) {
        double[] g = new double[UpperPacked.size(d, d)];
        addProducts(x, 0, n, 1, g, 0, d);
        return g;
    }

    /**
     * G[u][v] += sign * sum over rows r in [r0, r1) of A[r][u] A[r][v], for from &lt;= u &lt;= v &lt; d,
     * G's upper triangle with rows packed. {@code sign} is 1 or -1 (negating a product is exact, so
     * -1 subtracts exactly).
     */
    static void addProducts(Rows a, int r0, int r1, double sign, double[] g, int from, int d) {
        if (r0 >= r1 || from >= d) return;
        int span = d - from;
        int blocks = (span + BLOCK - 1) / BLOCK, tiles = (span + TILE - 1) / TILE;
        // tiles at or right of the diagonal, as (row block, column tile) pairs
        int[] tasks = IntStream.range(0, blocks * tiles)
                .filter(t -> (t % tiles + 1) * TILE > (t / tiles) * BLOCK)
                .toArray();
        IntStream.range(0, tasks.length).parallel().forEach(t -> {
            int u0 = from + (tasks[t] / tiles) * BLOCK, v0 = from + (tasks[t] % tiles) * TILE;
            tile(a, r0, r1, sign, g, d, u0, Math.min(d, u0 + BLOCK), v0, Math.min(d, v0 + TILE), SCRATCH.get());
        });
    }

    /**
     * One tile: rows [u0, u1) and columns [v0, v1) of G, only where v >= u. Every array the kernel
     * reads or writes is indexed alike (tile column i is G column v0 + i; left of the diagonal the
     * tile's arrays hold whatever they held, never read).
     */
    private static void tile(Rows a, int r0, int r1, double sign, double[] g, int d,
                             int u0, int u1, int v0, int v1, Scratch scratch) {
        int width = v1 - v0, end = Math.min(u1, v1);
        double[][] t = scratch.tile;
        for (int u = u0; u < end; u++) {
            int from = Math.max(v0, u);
            System.arraycopy(g, UpperPacked.index(u, from, d), t[u - u0], from - v0, v1 - from);
        }
        double[] x0 = scratch.x0, x1 = scratch.x1, x2 = scratch.x2, x3 = scratch.x3;
        int r = r0;
        for (; r + 3 < r1; r += 4) {
            a.copy(r, v0, v1, x0);
            a.copy(r + 1, v0, v1, x1);
            a.copy(r + 2, v0, v1, x2);
            a.copy(r + 3, v0, v1, x3);
            for (int u = u0; u < end; u++) {
                addFour(t[u - u0], x0, x1, x2, x3, sign * a.get(r, u), sign * a.get(r + 1, u),
                        sign * a.get(r + 2, u), sign * a.get(r + 3, u), Math.max(0, u - v0), width);
            }
        }
        for (; r < r1; r++) {
            a.copy(r, v0, v1, x0);
            for (int u = u0; u < end; u++) addOne(t[u - u0], x0, sign * a.get(r, u), Math.max(0, u - v0), width);
        }
        for (int u = u0; u < end; u++) {
            int from = Math.max(v0, u);
            System.arraycopy(t[u - u0], from - v0, g, UpperPacked.index(u, from, d), v1 - from);
        }
    }

    /** The kernel: g[i] += a0 x0[i] + a1 x1[i] + a2 x2[i] + a3 x3[i] for i in [from, to). */
    private static void addFour(double[] g, double[] x0, double[] x1, double[] x2, double[] x3,
                                double a0, double a1, double a2, double a3, int from, int to) {
        for (int i = from; i < to; i++) g[i] += (a0 * x0[i] + a1 * x1[i]) + (a2 * x2[i] + a3 * x3[i]);
    }

    private static void addOne(double[] g, double[] x0, double a0, int from, int to) {
        for (int i = from; i < to; i++) g[i] += a0 * x0[i];
    }
}
