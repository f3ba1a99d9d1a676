package dev.exemplar.features;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Rank-revealing QR with column pivoting (Businger-Golub) of an n x d matrix, used to pick the
 * feature columns that are most linearly independent: A P = Q R, and the first k columns of A P are
 * kept while the leading k x k block of R stays well conditioned.
 *
 * <p>The factorisation stops as soon as the next pivot would push the usual RRQR condition estimate
 * |R_11| / |R_kk| above {@code tau}, or when {@code maxColumns} are kept, so the cost is about
 * 4 n d k flops for k kept columns rather than a full factorisation. Columns are stored one array
 * each (column-major), pivoting swaps references, and Householder reflections are applied only to
 * the columns not yet chosen; remaining column norms are downdated (LAPACK's xGEQP3 safeguard decides
 * when they must be recomputed).
 */
public final class PivotedQr {

    /** Why the selection ended. */
    public enum Stop {
        /** The next column would have made the kept block's condition estimate exceed tau (or it was numerically zero). */
        CONDITION,
        /** {@code maxColumns} columns were kept. */
        MAX_COLUMNS,
        /** Every column was kept. */
        EXHAUSTED
    }

    /**
     * The kept columns in pivot order (indices into the input matrix), their count, the estimate
     * |R_11| / |R_kk| for the kept block, and R_11 itself (k x k upper triangular, row-major) so the
     * estimate can be checked exactly with {@link #exactCondition()}.
     */
    public record Selection(int[] columns, int numericalRank, double conditionEstimate, Stop stop, double[] leadingR) {

        /**
         * Exact 2-norm condition number of the kept columns of A, which equals that of R_11 because
         * Q has orthonormal columns; computed by an SVD, for reporting.
         */
        public double exactCondition() {
            int k = numericalRank;
            if (k == 0) return Double.NaN;
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, k, false, false, true);
            if (!svd.decompose(new DMatrixRMaj(k, k, true, leadingR))) {
                throw new IllegalStateException("SVD did not converge");
            }
            double[] s = svd.getSingularValues();
            double max = 0, min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < svd.numberOfSingularValues(); i++) {
                max = Math.max(max, s[i]);
                min = Math.min(min, s[i]);
            }
            return max / min;
        }
    }

    private static final double EPS = Math.ulp(1.0);
    /** xGEQP3's threshold: below it the downdated norm has lost too many digits and is recomputed. */
    private static final double TOL3Z = Math.sqrt(EPS);
    /** Below this many updated entries per step, splitting the work across threads costs more than it saves. */
    private static final long PARALLEL_WORK = 1 << 16;

    private PivotedQr() { }

    /**
     * Indices of the columns of the row-major rows x cols matrix {@code a} that are not constant
     * over the rows. A constant column carries no information to tell rows apart, and it would
     * otherwise be an early pivot because its norm is large.
     */
    public static int[] dropConstantColumns(double[] a, int rows, int cols) {
        checkShape(a, rows, cols);
        boolean[] varies = new boolean[cols];
        for (int r = 1; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                if (a[base + c] != a[c]) varies[c] = true;
            }
        }
        return IntStream.range(0, cols).filter(c -> varies[c]).toArray();
    }

    /** Pivoted QR selection over all columns of the row-major rows x cols matrix {@code a}. */
    public static Selection select(double[] a, int rows, int cols, double tau, int maxColumns) {
        return select(a, rows, cols, IntStream.range(0, cols).toArray(), tau, maxColumns);
    }

    /** Same as {@link #select(double[], int, int, double, int)} for an EJML matrix. */
    public static Selection select(DMatrixRMaj a, double tau, int maxColumns) {
        return select(a.data, a.numRows, a.numCols, tau, maxColumns);
    }

    /**
     * Pivoted QR selection restricted to the {@code candidates} columns (e.g. the result of
     * {@link #dropConstantColumns}); returned indices refer to the full matrix. {@code a} is not modified.
     */
    public static Selection select(double[] a, int rows, int cols, int[] candidates, double tau, int maxColumns) {
        checkShape(a, rows, cols);
        if (!(tau >= 1)) throw new IllegalArgumentException("tau must be >= 1: " + tau);
        return new Factorisation(a, rows, cols, candidates, Math.max(0, maxColumns)).run(tau);
    }

    /**
     * Right-looking Householder QR with column pivoting on a column-major copy, stopped early. Each
     * step applies the new reflection to the not-yet-chosen columns only, one column at a time while
     * it sits in cache (dot product then update), split across threads; pivoting swaps references.
     */
    private static final class Factorisation {
        private final int rows, d, limit;
        private final double[][] col;
        private final double[] vn1, vn2;
        private final int[] perm;

        Factorisation(double[] a, int rows, int cols, int[] candidates, int maxColumns) {
            this.rows = rows;
            this.d = candidates.length;
            this.limit = Math.min(Math.min(maxColumns, d), rows);
            col = new double[d][rows];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int j = 0; j < d; j++) col[j][r] = a[base + candidates[j]];
            }
            vn1 = new double[d];
            vn2 = new double[d];
            for (int j = 0; j < d; j++) vn1[j] = vn2[j] = norm(col[j], 0, rows);
            perm = candidates.clone();
        }

        Selection run(double tau) {
            int k = 0;
            Stop stop = limit == d ? Stop.EXHAUSTED : Stop.MAX_COLUMNS;
            double r11 = 0, rkk = 0;
            for (; k < limit; k++) {
                int p = k;
                for (int j = k + 1; j < d; j++) if (vn1[j] > vn1[p]) p = j;
                swapColumns(k, p);

                double[] v = col[k];
                double xnorm = norm(v, k, rows);       // exact, not the downdated estimate
                if (k == 0) r11 = xnorm;
                if (xnorm == 0 || xnorm <= r11 * EPS * Math.max(rows, d) || r11 / xnorm > tau) {
                    stop = Stop.CONDITION;
                    break;
                }
                // Householder vector scaled so v[k] = 1; H = I - tauH v v^T maps x(k:) to beta e_k.
                double x0 = v[k];
                double beta = x0 >= 0 ? -xnorm : xnorm;
                double tauH = (beta - x0) / beta;
                double scale = 1 / (x0 - beta);
                for (int i = k + 1; i < rows; i++) v[i] *= scale;
                v[k] = 1;
                applyReflector(k, v, tauH);
                v[k] = beta;                           // R_kk; R's row k of later columns is col[j][k]
                rkk = xnorm;
            }
            double[] leadingR = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) leadingR[i * k + j] = col[j][i];
            }
            return new Selection(Arrays.copyOf(perm, k), k, k == 0 ? Double.NaN : r11 / rkk, stop, leadingR);
        }

        private void applyReflector(int k, double[] v, double tauH) {
            int first = k + 1, count = d - first;
            if (count <= 0) return;
            long work = (long) count * (rows - k);
            int chunks = work < PARALLEL_WORK ? 1 : Math.min(count, 4 * Runtime.getRuntime().availableProcessors());
            if (chunks == 1) {
                updateRange(k, v, tauH, first, d);
                return;
            }
            IntStream.range(0, chunks).parallel().forEach(c -> updateRange(k, v, tauH,
                    first + (int) ((long) count * c / chunks), first + (int) ((long) count * (c + 1) / chunks)));
        }

        private void updateRange(int k, double[] v, double tauH, int from, int to) {
            for (int j = from; j < to; j++) {
                double[] x = col[j];
                double s = tauH * dot(v, x, k, rows);
                for (int i = k; i < rows; i++) x[i] -= s * v[i];
                if (vn1[j] != 0) {
                    // ||x(k+1:)||^2 = ||x(k:)||^2 - x_k^2, guarded against cancellation as in xGEQP3
                    double ratio = Math.abs(x[k]) / vn1[j];
                    double shrink = Math.max(0, (1 + ratio) * (1 - ratio));
                    double q = vn1[j] / vn2[j];
                    if (shrink * q * q <= TOL3Z) {
                        vn1[j] = vn2[j] = norm(x, k + 1, rows);
                    } else {
                        vn1[j] *= Math.sqrt(shrink);
                    }
                }
            }
        }

        private void swapColumns(int i, int j) {
            if (i == j) return;
            double[] t = col[i]; col[i] = col[j]; col[j] = t;
            swap(vn1, i, j);
            swap(vn2, i, j);
            int tp = perm[i]; perm[i] = perm[j]; perm[j] = tp;
        }
    }

    /** Dot product of rows [from, to) with four accumulators so the JIT can overlap the additions. */
    private static double dot(double[] a, double[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** Euclidean norm of rows [from, to), scaled so squares of large or tiny entries do not overflow. */
    private static double norm(double[] x, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) max = Math.max(max, Math.abs(x[i]));
        if (max == 0 || !Double.isFinite(max)) return max;
        double inv = 1 / max, s = 0;
        for (int i = from; i < to; i++) {
            double y = x[i] * inv;
            s += y * y;
        }
        return max * Math.sqrt(s);
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i]; a[i] = a[j]; a[j] = t;
    }

    private static void checkShape(double[] a, int rows, int cols) {
        if (rows < 0 || cols < 0 || a.length != (long) rows * cols) {
            throw new IllegalArgumentException("array of " + a.length + " is not " + rows + " x " + cols);
        }
    }

    /** Used by tests and reports: the exact condition number of an arbitrary set of columns of a. */
    static double conditionOfColumns(double[] a, int rows, int cols, int[] columns) {
        DMatrixRMaj m = new DMatrixRMaj(rows, columns.length);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < columns.length; j++) m.set(r, j, a[r * cols + columns[j]]);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, columns.length, false, false, true);
        if (!svd.decompose(m)) throw new IllegalStateException("SVD did not converge");
        double[] s = svd.getSingularValues();
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            max = Math.max(max, s[i]);
            min = Math.min(min, s[i]);
        }
        return min == 0 ? Double.POSITIVE_INFINITY : max / min;
    }
}
