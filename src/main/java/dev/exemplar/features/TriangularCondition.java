package dev.exemplar.features;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The 2-norm condition number of an upper-triangular k x k matrix R, sigma_max / sigma_min, for k
 * too large for a dense SVD to be quick: the largest eigenvalue of R^T R gives sigma_max^2 and that
 * of (R^T R)^-1 (two triangular solves per product) gives 1 / sigma_min^2. Each is found by Lanczos
 * iterations with full reorthogonalisation, which converge fastest exactly at the ends of the
 * spectrum, and are stopped when the Ritz value's residual bound is below 1e-10 of it (or when the
 * Krylov space is all of R^k, where the answer is exact).
 *
 * <p>With k in the thousands, R does not fit in the caches and every product or solve is bound by
 * how fast R streams from memory. So R is kept twice, packed: by rows, and by columns from the last
 * to the first, and each operation reads one of the two copies from start to end, in "axpy" form
 * (which the JIT vectorises, where the dot-product form, a reduction, would not be). The two ends
 * of the spectrum are found in parallel.
 */
final class TriangularCondition {
    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 300;

    private TriangularCondition() { }

    /** @param r row-major k x k, upper triangular with a nonzero diagonal */
    static double of(double[] r, int k) {
        double[] rows = byRows(r, k), columns = byColumnsFromLast(r, k);
        CompletableFuture<Double> largest = CompletableFuture.supplyAsync(
                () -> largestEigenvalue(v -> transposeTimes(rows, k, times(columns, k, v)), k));
        double inverseSmallest = largestEigenvalue(v -> solve(columns, k, solveTransposed(rows, k, v)), k);
        return Math.sqrt(largest.join() * inverseSmallest);
    }

    private static double largestEigenvalue(UnaryOperator<double[]> op, int k) {
        double[][] basis = new double[Math.min(k, MAX_ITERATIONS)][];
        double[] alpha = new double[basis.length], beta = new double[basis.length];
        double[] v = new Random(1).doubles(k, -1, 1).toArray();
        scale(v, 1 / norm(v));
        double theta = 0;
        for (int j = 0; j < basis.length; j++) {
            basis[j] = v;
            double[] w = op.apply(v);
            alpha[j] = dot(v, w);
            for (int pass = 0; pass < 2; pass++) {              // full reorthogonalisation, twice is enough
                for (int i = 0; i <= j; i++) axpy(-dot(basis[i], w), basis[i], w);
            }
            beta[j] = norm(w);
            double[] ritz = largestRitz(alpha, beta, j + 1);
            theta = ritz[0];
            // |beta_j * last component of the Ritz vector| bounds the distance to an eigenvalue
            if (beta[j] * Math.abs(ritz[1]) <= TOLERANCE * theta || beta[j] <= TOLERANCE * theta || j + 1 == k) break;
            v = w;
            scale(v, 1 / beta[j]);
        }
        return theta;
    }

    /** Largest eigenvalue of the m x m tridiagonal (alpha, beta) and the last component of its eigenvector. */
    private static double[] largestRitz(double[] alpha, double[] beta, int m) {
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, alpha[i]);
            if (i + 1 < m) {
                t.set(i, i + 1, beta[i]);
                t.set(i + 1, i, beta[i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(t)) throw new IllegalStateException("eigenvalues did not converge");
        int best = 0;
        for (int i = 1; i < m; i++) if (eig.getEigenvalue(i).real > eig.getEigenvalue(best).real) best = i;
        DMatrixRMaj vec = eig.getEigenVector(best);
        double last = vec.get(m - 1) / Math.sqrt(org.ejml.dense.row.CommonOps_DDRM.elementSum(
                org.ejml.dense.row.CommonOps_DDRM.elementMult(vec, vec, null)));
        return new double[] {eig.getEigenvalue(best).real, last};
    }

    /** Row i of R (entries i..k-1), for i = 0, 1, ..., one after the other. */
    private static double[] byRows(double[] r, int k) {
        double[] p = new double[k * (k + 1) / 2];
        for (int i = 0, o = 0; i < k; o += k - i, i++) System.arraycopy(r, i * k + i, p, o, k - i);
        return p;
    }

    /** Column j of R (entries 0..j), for j = k-1, k-2, ..., one after the other; built in bands of columns so reads stay in the cache. */
    private static double[] byColumnsFromLast(double[] r, int k) {
        double[] p = new double[k * (k + 1) / 2];
        int band = 64;
        for (int j0 = 0; j0 < k; j0 += band) {
            int j1 = Math.min(k, j0 + band);
            for (int i = 0; i < j1; i++) {
                for (int j = Math.max(j0, i); j < j1; j++) p[columnStart(j, k) + i] = r[i * k + j];
            }
        }
        return p;
    }

    /** Where column j starts in {@link #byColumnsFromLast}: after columns k-1 .. j+1, of lengths k .. j+2. */
    private static int columnStart(int j, int k) {
        return k * (k + 1) / 2 - (j + 1) * (j + 2) / 2;
    }

    /** R v: out[0..j] += v[j] R[0..j][j] over the columns. */
    private static double[] times(double[] columns, int k, double[] v) {
        double[] out = new double[k];
        for (int j = k - 1, o = 0; j >= 0; o += j + 1, j--) {
            double vj = v[j];
            for (int i = 0; i <= j; i++) out[i] += columns[o + i] * vj;
        }
        return out;
    }

    /** R^T v: out[i..k) += v[i] R[i][i..k) over the rows. */
    private static double[] transposeTimes(double[] rows, int k, double[] v) {
        double[] out = new double[k];
        for (int i = 0, o = 0; i < k; o += k - i, i++) {
            double vi = v[i];
            for (int j = i; j < k; j++) out[j] += rows[o + j - i] * vi;
        }
        return out;
    }

    /** R z = b over the columns, last first: once z[j] is known it is taken out of b[0..j). */
    private static double[] solve(double[] columns, int k, double[] b) {
        double[] z = b.clone();
        for (int j = k - 1, o = 0; j >= 0; o += j + 1, j--) {
            double zj = z[j] / columns[o + j];
            z[j] = zj;
            for (int i = 0; i < j; i++) z[i] -= columns[o + i] * zj;
        }
        return z;
    }

    /** R^T z = b over the rows, first first. */
    private static double[] solveTransposed(double[] rows, int k, double[] b) {
        double[] z = b.clone();
        for (int i = 0, o = 0; i < k; o += k - i, i++) {
            double zi = z[i] / rows[o];
            z[i] = zi;
            for (int j = i + 1; j < k; j++) z[j] -= rows[o + j - i] * zi;
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double c, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += c * x[i];
    }

    private static void scale(double[] x, double c) {
        for (int i = 0; i < x.length; i++) x[i] *= c;
    }
}
