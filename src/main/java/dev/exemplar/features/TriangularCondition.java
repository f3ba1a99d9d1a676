package dev.exemplar.features;

import java.util.Random;
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
 */
final class TriangularCondition {
    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 300;

    private TriangularCondition() { }

    /** @param r row-major k x k, upper triangular with a nonzero diagonal */
    static double of(double[] r, int k) {
        double largest = largestEigenvalue(v -> transposeTimes(r, k, times(r, k, v)), k);
        double inverseSmallest = largestEigenvalue(v -> solve(r, k, solveTransposed(r, k, v)), k);
        return Math.sqrt(largest * inverseSmallest);
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

    private static double[] times(double[] r, int k, double[] v) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double s = 0;
            int base = i * k;
            for (int j = i; j < k; j++) s += r[base + j] * v[j];
            out[i] = s;
        }
        return out;
    }

    private static double[] transposeTimes(double[] r, int k, double[] v) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double vi = v[i];
            int base = i * k;
            for (int j = i; j < k; j++) out[j] += r[base + j] * vi;
        }
        return out;
    }

    /** R z = b. */
    private static double[] solve(double[] r, int k, double[] b) {
        double[] z = b.clone();
        for (int i = k - 1; i >= 0; i--) {
            int base = i * k;
            double s = z[i];
            for (int j = i + 1; j < k; j++) s -= r[base + j] * z[j];
            z[i] = s / r[base + i];
        }
        return z;
    }

    /** R^T z = b. */
    private static double[] solveTransposed(double[] r, int k, double[] b) {
        double[] z = b.clone();
        for (int i = 0; i < k; i++) {
            int base = i * k;
            double zi = z[i] / r[base + i];
            z[i] = zi;
            for (int j = i + 1; j < k; j++) z[j] -= r[base + j] * zi;
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
