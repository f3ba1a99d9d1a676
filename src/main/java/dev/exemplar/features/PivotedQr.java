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
 * <p>The selection stops as soon as the next pivot would push the usual RRQR condition estimate
 * |R_11| / |R_kk| above {@code tau}, or when {@code maxColumns} are kept.
 *
 * <p>R and the pivots are those of Householder QR with column pivoting, but they are computed from
 * the Gram matrix G = A^T A: R^T R = P^T G P, so pivoted QR of A is pivoted Cholesky of G (LAPACK's
 * xPSTRF). Forming G is one pass of matrix products over A (n d^2 / 2 multiply-adds, cache-blocked
 * and split across threads), after which the factorisation works on d x d numbers only, in panels
 * whose trailing update is again a matrix product. The cost no longer depends much on how many
 * columns are kept, which is what makes keeping all of them affordable: on real photographs with
 * n > d the coefficient matrix is usually well conditioned, and every column is kept. (Householder
 * QR swept the whole n x d trailing matrix once per pivot: memory-bound, and d times over when
 * every column is kept.)
 *
 * <p>Squaring costs precision where a column's residual becomes tiny next to its own norm, so
 * there the pivot's residual is recomputed from A itself (a least-squares residual with one step of
 * refinement) before it is compared with tau; the stopping decision is therefore as sharp as with
 * Householder QR, while the choice among columns whose residuals differ by less than about 1e-8 of
 * their norms may differ from it.
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
     * |R_11| / |R_kk| for the kept block, R_11 itself (k x k upper triangular, its rows packed one
     * after the other from the start of the array: row i holds R[i][i..k), see {@link UpperPacked}) so
     * the estimate can be checked exactly with {@link #exactCondition()}, and, when tau ended the
     * selection, the estimate |R_11| / |R_k+1,k+1| the first rejected column would have given
     * (infinite for a numerically dependent column; NaN otherwise). That one is a lower bound on the
     * condition number of all the candidate columns together.
     */
    public record Selection(int[] columns, int numericalRank, double conditionEstimate, Stop stop, double[] leadingR,
                            double rejectedEstimate) {

        /**
         * Exact 2-norm condition number of the kept columns of A, which equals that of R_11 because
         * Q has orthonormal columns; computed by an SVD of R_11 up to {@value PivotedQr#SVD_LIMIT} columns and
         * by Lanczos iterations on R_11^T R_11 and its inverse above that (to 1e-10 relative).
         */
        public double exactCondition() {
            int k = numericalRank;
            if (k == 0) return Double.NaN;
            if (k > SVD_LIMIT) return TriangularCondition.of(leadingR, k);
            DMatrixRMaj full = new DMatrixRMaj(k, k);
            for (int i = 0; i < k; i++) System.arraycopy(leadingR, UpperPacked.index(i, i, k), full.data, i * k + i, k - i);
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, k, false, false, true);
            if (!svd.decompose(full)) {
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

        /** The first k kept columns: R of the first k columns of A P is the leading k x k block of R. */
        Selection prefix(int k) {
            if (k < 0 || k > numericalRank) throw new IllegalArgumentException("prefix " + k + " of " + numericalRank);
            if (k == numericalRank) return this;
            int kk = numericalRank;
            double[] r = new double[UpperPacked.size(k, k)];
            for (int i = 0; i < k; i++) System.arraycopy(leadingR, UpperPacked.index(i, i, kk), r, UpperPacked.index(i, i, k), k - i);
            double estimate = k == 0 ? Double.NaN : Math.abs(r[0]) / Math.abs(r[UpperPacked.index(k - 1, k - 1, k)]);
            double rejected = Math.abs(leadingR[0]) / Math.abs(leadingR[UpperPacked.index(k, k, kk)]);
            return new Selection(Arrays.copyOf(columns, k), k, estimate, Stop.CONDITION, r, rejected);
        }

        /**
         * The longest prefix whose exact condition number is at most tau. The selection stops on the
         * estimate |R_11| / |R_kk|, which can understate the exact figure; the exact one only grows as
         * columns are added (interlacing), so a binary search over prefixes finds the cut.
         */
        public Selection trimmedTo(double tau) {
            if (numericalRank == 0 || exactCondition() <= tau) return this;
            int lo = 1, hi = numericalRank - 1; // a single nonzero column has condition number 1
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (prefix(mid).exactCondition() <= tau) lo = mid;
                else hi = mid - 1;
            }
            return prefix(lo);
        }
    }

    /**
     * Up to this size an SVD of R_11 is cheap; above it Lanczos iterations are faster (10 to 20
     * times at 400 to 500 columns, agreeing with the SVD to 1e-14).
     */
    static final int SVD_LIMIT = 150;
    private static final double EPS = Math.ulp(1.0);
    /**
     * Below this ratio of a pivot's squared residual to its squared norm, the residual from the Gram
     * matrix has lost more than half of its digits and is recomputed from A.
     */
    private static final double RECOMPUTE = 1e-8;
    /** Pivots per panel: the trailing update of the Gram matrix is done once per panel. */
    private static final int PANEL = 64;

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

    /** Same as {@link #dropConstantColumns(double[], int, int)} for rows given as arrays of equal length. */
    public static int[] dropConstantColumns(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        boolean[] varies = new boolean[cols];
        for (float[] row : rows) {
            if (row.length != cols) throw new IllegalArgumentException("rows of different lengths");
            for (int c = 0; c < cols; c++) {
                if (row[c] != rows[0][c]) varies[c] = true;
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
        int d = candidates.length;
        if (isAll(candidates, cols)) return select(Gram.of(a, cols), rows, candidates, tau, maxColumns);
        checkFits(rows, d);
        double[] x = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) x[r * d + j] = a[r * cols + candidates[j]];
        }
        return select(Gram.of(x, d), rows, candidates, tau, maxColumns);
    }

    /**
     * Same selection for a matrix given as rows (row i = item i), restricted to the {@code candidates}
     * columns; returned indices refer to the full rows. {@code rows} is not modified.
     */
    public static Selection select(float[][] rows, int[] candidates, double tau, int maxColumns) {
        int d = candidates.length;
        if (rows.length > 0 && isAll(candidates, rows[0].length)) return select(Gram.of(rows), rows.length, candidates, tau, maxColumns);
        checkFits(rows.length, d);
        float[] x = new float[rows.length * d];
        IntStream.range(0, rows.length).parallel().forEach(r -> {
            float[] row = rows[r];
            for (int j = 0; j < d; j++) x[r * d + j] = row[candidates[j]];
        });
        return select(Gram.of(x, d), rows.length, candidates, tau, maxColumns);
    }

    /** Whether the candidates are every column in order, so the matrix can be read as it is. */
    private static boolean isAll(int[] candidates, int cols) {
        if (candidates.length != cols) return false;
        for (int j = 0; j < cols; j++) if (candidates[j] != j) return false;
        return true;
    }

    private static void checkFits(long rows, long cols) {
        if (rows * cols > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(rows + " x " + cols + " does not fit in one array");
    }

    /** x: rows x candidates.length. */
    private static Selection select(Gram.Rows x, int rows, int[] candidates, double tau, int maxColumns) {
        if (!(tau >= 1)) throw new IllegalArgumentException("tau must be >= 1: " + tau);
        checkFits(candidates.length, candidates.length);
        return new Factorisation(x, rows, candidates, Math.max(0, maxColumns)).run(tau);
    }

    /**
     * Pivoted Cholesky of the Gram matrix of the candidate columns, in panels (xPSTRF). Inside a panel
     * each new row of R is computed from the Schur complement as of the panel's start minus the
     * panel's earlier rows; at the end of the panel the Schur complement's upper triangle is updated
     * by one matrix product. Pivoting swaps rows and columns of the symmetric matrix in place.
     * As in xPSTRF, R overwrites the Gram matrix, whose upper triangle is one array, rows packed
     * ({@link UpperPacked}): row k of the Schur complement is last read to make row k of R, which
     * takes its place. (One packed array rather than two square ones: touching fresh memory, 112 MB
     * less for d = 3,072, was measured to cost about 0.1 s per 37 MB.)
     */
    private static final class Factorisation {
        private final Gram.Rows x;       // rows x d, the candidate columns (row i = item i)
        private final int rows, d, limit;
        // d x d upper triangle, rows packed: rows [0, k) hold the rows of R found so far, rows [k, d)
        // the Schur complement of the trailing block; columns in current order
        private final double[] s;
        private final double[] diag;     // the Schur complement's diagonal, downdated after every pivot
        private final double[] norm2;    // squared norms of the columns, in current order
        private final int[] perm;        // current column order, as indices into x
        private final int[] original;

        Factorisation(Gram.Rows x, int rows, int[] candidates, int maxColumns) {
            this.x = x;
            this.rows = rows;
            this.d = candidates.length;
            this.limit = Math.min(Math.min(maxColumns, d), rows);
            this.original = candidates;
            this.s = limit == 0 ? new double[0] : Gram.upper(x, rows, d);
            this.diag = new double[d];
            this.norm2 = new double[d];
            for (int j = 0; j < d && limit > 0; j++) diag[j] = norm2[j] = s[at(j, j)];
            this.perm = IntStream.range(0, d).toArray();
        }

        Selection run(double tau) {
            Stop stop = limit == d ? Stop.EXHAUSTED : Stop.MAX_COLUMNS;
            double r11 = 0, rkk = 0, rejected = Double.NaN;
            int k = 0;
            double[] row = new double[d];
            outer:
            for (int panel = 0; panel < limit; panel += PANEL) {
                int end = Math.min(limit, panel + PANEL);
                for (k = panel; k < end; k++) {
                    int p = k;
                    for (int j = k + 1; j < d; j++) if (diag[j] > diag[p]) p = j;
                    swap(k, p);
                    double rk2 = diag[k];
                    if (rk2 > 0 && rk2 < RECOMPUTE * norm2[k]) rk2 = explicitResidual2(k);
                    double rk = Math.sqrt(Math.max(rk2, 0));
                    if (k == 0) r11 = rk;
                    if (rk == 0 || rk <= r11 * EPS * Math.max(rows, d) || r11 / rk > tau) {
                        stop = Stop.CONDITION;
                        rejected = k == 0 || rk <= r11 * EPS * Math.max(rows, d) ? Double.POSITIVE_INFINITY : r11 / rk;
                        break outer;
                    }
                    rowOfR(panel, k, rk, row);
                    rkk = rk;
                }
                if (end < limit) updateTrailing(panel, end);
            }
            if (stop != Stop.CONDITION) k = limit;
            double[] leadingR = s;                       // R is d x d
            if (k < d) {
                leadingR = new double[UpperPacked.size(k, k)];
                for (int i = 0; i < k; i++) System.arraycopy(s, at(i, i), leadingR, UpperPacked.index(i, i, k), k - i);
            }
            int[] columns = new int[k];
            for (int i = 0; i < k; i++) columns[i] = original[perm[i]];
            return new Selection(columns, k, k == 0 ? Double.NaN : r11 / rkk, stop, leadingR, rejected);
        }

        /**
         * Row k of R: (S[k][j] - sum over the panel's earlier rows of R[i][k] R[i][j]) / r_kk for j > k,
         * summed in {@code row} (a separate array, so the loop over j vectorises), then written over
         * row k of S.
         */
        private void rowOfR(int panel, int k, double rk, double[] row) {
            int rk0 = at(k, 0);
            System.arraycopy(s, rk0 + k + 1, row, k + 1, d - k - 1);
            for (int i = panel; i < k; i++) {
                int ri = at(i, 0);
                double c = s[ri + k];
                for (int j = k + 1; j < d; j++) row[j] -= c * s[ri + j];
            }
            double inv = 1 / rk;
            s[rk0 + k] = rk;
            for (int j = k + 1; j < d; j++) {
                double v = row[j] * inv;
                s[rk0 + j] = v;
                diag[j] -= v * v;
            }
        }

        /** Schur complement update S[u][v] -= sum over panel rows i of R[i][u] R[i][v], for from <= u <= v. */
        private void updateTrailing(int panel, int from) {
            Gram.addProducts(Gram.upperRows(s, d), panel, from, -1, s, from, d);   // reads rows < from, writes rows >= from
        }

        /**
         * ||a_k - A_S x||^2 for the least-squares x over the kept columns S = [0, k): R_11 x = R[0..k)[k],
         * then one step of refinement with the normal equations in factored form.
         */
        private double explicitResidual2(int k) {
            int pk = perm[k];
            double[] c = new double[k];
            for (int i = 0; i < k; i++) c[i] = s[at(i, k)];
            double[] coef = backSolve(k, c);
            double[] e = residual(pk, k, coef, null);
            double[] y = new double[k];
            for (int row = 0; row < rows; row++) {
                double er = e[row];
                for (int i = 0; i < k; i++) y[i] += x.get(row, perm[i]) * er;
            }
            double[] dx = backSolve(k, forwardSolve(k, y));
            e = residual(pk, k, dx, e);
            double sum = 0;
            for (double v : e) sum += v * v;
            return sum;
        }

        /** a_pk - A_S coef, or base - A_S coef when base is given. */
        private double[] residual(int pk, int k, double[] coef, double[] base) {
            double[] e = new double[rows];
            for (int row = 0; row < rows; row++) {
                double v = base == null ? x.get(row, pk) : base[row];
                for (int i = 0; i < k; i++) v -= x.get(row, perm[i]) * coef[i];
                e[row] = v;
            }
            return e;
        }

        /** Solves R_11 z = b (upper triangular). */
        private double[] backSolve(int k, double[] b) {
            double[] z = b.clone();
            for (int i = k - 1; i >= 0; i--) {
                int ri = at(i, 0);
                double v = z[i];
                for (int j = i + 1; j < k; j++) v -= s[ri + j] * z[j];
                z[i] = v / s[ri + i];
            }
            return z;
        }

        /** Solves R_11^T z = b. */
        private double[] forwardSolve(int k, double[] b) {
            double[] z = b.clone();
            for (int i = 0; i < k; i++) {
                int ri = at(i, 0);
                z[i] /= s[ri + i];
                double zi = z[i];
                for (int j = i + 1; j < k; j++) z[j] -= s[ri + j] * zi;
            }
            return z;
        }

        /** Symmetric swap of positions k < p (or k == p) in S (upper triangle), diag, norms, R rows and perm. */
        private void swap(int k, int p) {
            if (k == p) return;
            int sk = at(k, 0), sp = at(p, 0);
            swap(s, sk + k, sp + p);                             // the diagonal
            for (int j = p + 1; j < d; j++) swap(s, sk + j, sp + j);
            for (int j = k + 1; j < p; j++) swap(s, sk + j, at(j, p));
            swap(diag, k, p);
            swap(norm2, k, p);
            for (int i = 0; i < k; i++) swap(s, at(i, k), at(i, p));
            int t = perm[k]; perm[k] = perm[p]; perm[p] = t;
        }

        /** Where entry (i, j), j >= i, of S or R is; at(i, 0) + j for a row's entries. */
        private int at(int i, int j) {
            return UpperPacked.index(i, j, d);
        }

        private static void swap(double[] a, int i, int j) {
            double t = a[i]; a[i] = a[j]; a[j] = t;
        }
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
