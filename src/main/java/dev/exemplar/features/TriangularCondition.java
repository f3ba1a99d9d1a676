package dev.exemplar.features;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
 * how fast R streams from memory: R comes with its rows packed (half the memory of the square
 * array) and each operation reads it from start to end, the way the hardware prefetches best,
 * without a copy. R^T v and R^T z = b go row by row in "axpy" form (which the JIT vectorises); R v
 * is a dot product per row, with eight partial sums; R z = b, which must finish the last rows
 * first, goes block by block of {@value #BLOCK} rows from the last block, each block's rows taking
 * the known part of z out in increasing order before the block itself is solved. The two ends of
 * the spectrum are found in parallel.
 */
final class TriangularCondition {
    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 300;
    /** Rows per block of the back substitution. */
    private static final int BLOCK = 64;

    private TriangularCondition() { }

    /** @param r upper triangular k x k with a nonzero diagonal, rows packed ({@link UpperPacked}) */
    static double of(double[] r, int k) {
        CompletableFuture<Double> largest = CompletableFuture.supplyAsync(
                () -> largestEigenvalue(v -> transposeTimes(r, k, times(r, k, v)), k));
        double inverseSmallest = largestEigenvalue(v -> solve(r, k, solveTransposed(r, k, v)), k);
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
            alpha[j] = Kernels.dot(v, w);
            for (int pass = 0; pass < 2; pass++) {              // full reorthogonalisation, twice is enough
                for (int i = 0; i <= j; i++) axpy(-Kernels.dot(basis[i], w), basis[i], w);
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
        double last = vec.get(m - 1) / Math.sqrt(CommonOps_DDRM.elementSum(
                CommonOps_DDRM.elementMult(vec, vec, null)));
        return new double[] {eig.getEigenvalue(best).real, last};
    }

    /** R v: row i's dot product with v, for each i. */
    private static double[] times(double[] r, int k, double[] v) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) out[i] = dot(r, UpperPacked.index(i, 0, k), v, i, k);
        return out;
    }

    /** R^T v: out[i..k) += v[i] R[i][i..k) over the rows. */
    private static double[] transposeTimes(double[] r, int k, double[] v) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double vi = v[i];
            int o = UpperPacked.index(i, 0, k);
            for (int j = i; j < k; j++) out[j] += r[o + j] * vi;
        }
        return out;
    }

    /**
     * R z = b, block of rows by block of rows from the last: each row of a block first takes the
     * already known z[end..k) out of its b (rows in increasing order), then the block is solved
     * from its last row up.
     */
    private static double[] solve(double[] r, int k, double[] b) {
        double[] z = b.clone();
        for (int end = k; end > 0; end -= BLOCK) {
            int start = Math.max(0, end - BLOCK);
            for (int i = start; i < end; i++) z[i] -= dot(r, UpperPacked.index(i, 0, k), z, end, k);
            for (int i = end - 1; i >= start; i--) {
                int o = UpperPacked.index(i, 0, k);
                double v = z[i];
                for (int j = i + 1; j < end; j++) v -= r[o + j] * z[j];
                z[i] = v / r[o + i];
            }
        }
        return z;
    }

    /** R^T z = b over the rows, first first: once z[i] is known it is taken out of b(i..k). */
    private static double[] solveTransposed(double[] r, int k, double[] b) {
        double[] z = b.clone();
        for (int i = 0; i < k; i++) {
            int o = UpperPacked.index(i, 0, k);
            double zi = z[i] / r[o + i];
            z[i] = zi;
            for (int j = i + 1; j < k; j++) z[j] -= r[o + j] * zi;
        }
        return z;
    }

    /** Sum of a[o + j] b[j] over j in [from, to), with eight partial sums so the additions overlap. */
    private static double dot(double[] a, int o, double[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = from;
        for (; j + 7 < to; j += 8) {
            int p = o + j;
            s0 += a[p] * b[j]; s1 += a[p + 1] * b[j + 1]; s2 += a[p + 2] * b[j + 2]; s3 += a[p + 3] * b[j + 3];
            s4 += a[p + 4] * b[j + 4]; s5 += a[p + 5] * b[j + 5]; s6 += a[p + 6] * b[j + 6]; s7 += a[p + 7] * b[j + 7];
        }
        for (; j < to; j++) s0 += a[o + j] * b[j];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }


    private static double norm(double[] a) {
        return Math.sqrt(Kernels.dot(a, a));
    }

    private static void axpy(double c, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += c * x[i];
    }

    private static void scale(double[] x, double c) {
        for (int i = 0; i < x.length; i++) x[i] *= c;
    }
}
