package dev.exemplar.summary;

import dev.exemplar.features.Kernels;

import java.util.Arrays;

/**
 * Orthogonal matching pursuit with non-negative coefficients: explains a target vector as a small,
 * non-negative combination of candidate atoms. Greedy selection keeps the explanation sparse (an
 * image is linked to a few summary images, not smeared over all of them) and non-negativity keeps
 * every link a "looks like" weight instead of a cancellation between atoms.
 */
final class NonNegativeOmp {

    /** Chosen atoms (indices into the dictionary) by decreasing coefficient, their coefficients (> 0), and ||y - sum c a||. */
    record Solution(int[] atoms, double[] coefficients, double residualNorm) { }

    private NonNegativeOmp() { }

    /**
     * Greedily adds the atom most positively correlated with the residual and re-solves non-negative
     * least squares on the chosen atoms. Stops at {@code maxAtoms}, when no atom correlates
     * positively, or when the next atom would lower the residual norm by less than
     * {@code minGain * ||y||}: an atom must explain a real part of what the others miss.
     */
    static Solution solve(double[] y, double[][] atoms, int maxAtoms, double minGain) {
        int d = y.length, m = atoms.length;
        double[] b = new double[m];
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            if (atoms[i].length != d) throw new IllegalArgumentException("atom " + i + " has the wrong dimension");
            b[i] = Kernels.dot(atoms[i], y);
            for (int j = 0; j <= i; j++) gram[i][j] = gram[j][i] = Kernels.dot(atoms[i], atoms[j]);
        }
        Solution s = solve(Kernels.dot(y, y), b, gram, maxAtoms, minGain);
        // the norm from the vectors themselves: exact where the Gram form cancels (a target the atoms reproduce)
        double[] r = y.clone();
        for (int i = 0; i < s.atoms().length; i++) {
            double[] a = atoms[s.atoms()[i]];
            double c = s.coefficients()[i];
            for (int t = 0; t < d; t++) r[t] -= c * a[t];
        }
        return new Solution(s.atoms(), s.coefficients(), Math.sqrt(Kernels.dot(r, r)));
    }

    /**
     * The same pursuit from inner products only: {@code yy} = y.y, {@code b[i]} = a_i.y and
     * {@code gram[i][j]} = a_i.a_j. The correlation of an atom with the residual is
     * b_i - sum_j gram[i][j] c_j and the residual's squared norm yy - 2 c.b + c' gram c, so a target of
     * any length costs the same once its few inner products are known. The residual norm returned
     * is from that form, accurate to about 1e-8 ||y||.
     */
    static Solution solve(double yy, double[] b, double[][] gram, int maxAtoms, double minGain) {
        int m = b.length;
        double[] norms = new double[m];
        for (int i = 0; i < m; i++) norms[i] = Math.sqrt(Math.max(0, gram[i][i]));
        double yNorm = Math.sqrt(Math.max(0, yy));
        int[] chosen = new int[0];
        double[] coef = new double[0];
        double resNorm = yNorm;

        while (chosen.length < Math.min(maxAtoms, m) && resNorm > 0) {
            int best = -1;
            double bestCorr = 1e-12 * yNorm;   // rounding-level correlations do not count as positive
            for (int i = 0; i < m; i++) {
                if (norms[i] == 0 || contains(chosen, i)) continue;
                double corr = b[i];
                for (int t = 0; t < chosen.length; t++) corr -= gram[i][chosen[t]] * coef[t];
                corr /= norms[i];
                if (corr > bestCorr) { bestCorr = corr; best = i; }
            }
            if (best < 0) break;
            int[] trial = Arrays.copyOf(chosen, chosen.length + 1);
            trial[chosen.length] = best;
            double[] trialCoef = nnls(b, gram, trial);
            double trialNorm = residualNorm(yy, b, gram, trial, trialCoef);
            if (resNorm - trialNorm < minGain * yNorm) break;
            chosen = trial;
            coef = trialCoef;
            resNorm = trialNorm;
        }
        return sorted(chosen, coef, resNorm);
    }

    /** Same as {@link #solve(double[], double[][], int, double)} for single-precision features. */
    static Solution solve(float[] y, float[][] atoms, int maxAtoms, double minGain) {
        double[][] a = new double[atoms.length][];
        for (int i = 0; i < atoms.length; i++) a[i] = toDouble(atoms[i]);
        return solve(toDouble(y), a, maxAtoms, minGain);
    }

    private static double residualNorm(double yy, double[] b, double[][] gram, int[] set, double[] coef) {
        double r = yy;
        for (int i = 0; i < set.length; i++) {
            r -= 2 * coef[i] * b[set[i]];
            for (int j = 0; j < set.length; j++) r += coef[i] * gram[set[i]][set[j]] * coef[j];
        }
        return Math.sqrt(Math.max(0, r));
    }

    private static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    /**
     * Lawson-Hanson active-set NNLS on the chosen atoms, via their Gram matrix (at most a few dozen
     * atoms, so the normal equations are tiny and solved directly).
     */
    private static double[] nnls(double[] bAll, double[][] gramAll, int[] set) {
        int k = set.length;
        double[][] gram = new double[k][k];
        double[] b = new double[k];
        for (int i = 0; i < k; i++) {
            b[i] = bAll[set[i]];
            for (int j = 0; j < k; j++) gram[i][j] = gramAll[set[i]][set[j]];
        }
        double scale = 0;
        for (int i = 0; i < k; i++) scale = Math.max(scale, Math.abs(b[i]));
        double tol = 1e-12 * Math.max(scale, 1e-300);
        double[] x = new double[k];
        boolean[] passive = new boolean[k];
        for (int outer = 0; outer < 3 * k + 3; outer++) {
            double[] w = gradient(gram, b, x);
            int t = -1;
            for (int i = 0; i < k; i++) if (!passive[i] && w[i] > tol && (t < 0 || w[i] > w[t])) t = i;
            if (t < 0) break;
            passive[t] = true;
            for (int inner = 0; inner < 3 * k + 3; inner++) {
                double[] s = solvePassive(gram, b, passive);
                boolean feasible = true;
                double alpha = 1;
                for (int i = 0; i < k; i++) {
                    if (passive[i] && s[i] <= 0) {
                        feasible = false;
                        alpha = Math.min(alpha, x[i] / (x[i] - s[i]));
                    }
                }
                if (feasible) { x = s; break; }
                // step towards s until the first coefficient reaches zero, and free it
                for (int i = 0; i < k; i++) {
                    x[i] += alpha * (s[i] - x[i]);
                    if (passive[i] && x[i] <= tol) { passive[i] = false; x[i] = 0; }
                }
            }
        }
        return x;
    }

    private static double[] gradient(double[][] gram, double[] b, double[] x) {
        double[] w = b.clone();
        for (int i = 0; i < b.length; i++) for (int j = 0; j < b.length; j++) w[i] -= gram[i][j] * x[j];
        return w;
    }

    /** Unconstrained least squares on the passive atoms (zeros elsewhere), by Gaussian elimination with partial pivoting. */
    private static double[] solvePassive(double[][] gram, double[] b, boolean[] passive) {
        int k = b.length, m = 0;
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) if (passive[i]) idx[m++] = i;
        double[][] a = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) a[i][j] = gram[idx[i]][idx[j]];
            a[i][m] = b[idx[i]];
        }
        for (int col = 0; col < m; col++) {
            int p = col;
            for (int r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[p][col])) p = r;
            double[] t = a[p]; a[p] = a[col]; a[col] = t;
            if (a[col][col] == 0) continue;   // singular direction: leave that coefficient at zero
            for (int r = col + 1; r < m; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= m; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] sol = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double s = a[i][m];
            for (int j = i + 1; j < m; j++) s -= a[i][j] * sol[j];
            sol[i] = a[i][i] == 0 ? 0 : s / a[i][i];
        }
        double[] s = new double[k];
        for (int i = 0; i < m; i++) s[idx[i]] = sol[i];
        return s;
    }

    /** Drops atoms NNLS set to zero and orders the rest by decreasing coefficient. */
    private static Solution sorted(int[] set, double[] coef, double resNorm) {
        Integer[] order = new Integer[set.length];
        for (int i = 0; i < set.length; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(coef[q], coef[p]));
        int n = (int) Arrays.stream(coef).filter(c -> c > 0).count();   // positives sort first
        int[] atoms = new int[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            atoms[i] = set[order[i]];
            c[i] = coef[order[i]];
        }
        return new Solution(atoms, c, resNorm);
    }

    private static boolean contains(int[] set, int i) {
        for (int s : set) if (s == i) return true;
        return false;
    }
}
