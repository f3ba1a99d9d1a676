package dev.exemplar.summary;

import java.util.Arrays;

/**
 * Orthogonal matching pursuit with non-negative coefficients: explains a target vector as a small,
 * non-negative combination of candidate atoms. Greedy selection keeps the explanation sparse (an
 * image is linked to a few summary images, not smeared over all of them) and non-negativity keeps
 * every link a "looks like" weight instead of a cancellation between atoms.
 */
public final class NonNegativeOmp {

    /** Chosen atoms (indices into the dictionary) by decreasing coefficient, their coefficients (> 0), and ||y - sum c a||. */
    public record Solution(int[] atoms, double[] coefficients, double residualNorm) { }

    private NonNegativeOmp() { }

    /**
     * Greedily adds the atom most positively correlated with the residual and re-solves non-negative
     * least squares on the chosen atoms. Stops at {@code maxAtoms}, when no atom correlates
     * positively, or when the next atom would lower the residual norm by less than
     * {@code minGain * ||y||}: an atom must explain a real part of what the others miss.
     */
    public static Solution solve(double[] y, double[][] atoms, int maxAtoms, double minGain) {
        int d = y.length;
        double[] norms = new double[atoms.length];
        for (int i = 0; i < atoms.length; i++) {
            if (atoms[i].length != d) throw new IllegalArgumentException("atom " + i + " has the wrong dimension");
            norms[i] = Math.sqrt(dot(atoms[i], atoms[i]));
        }
        double yNorm = Math.sqrt(dot(y, y));
        int[] chosen = new int[0];
        double[] coef = new double[0];
        double[] residual = y.clone();
        double resNorm = yNorm;

        while (chosen.length < Math.min(maxAtoms, atoms.length) && resNorm > 0) {
            int best = -1;
            double bestCorr = 1e-12 * yNorm;   // rounding-level correlations do not count as positive
            for (int i = 0; i < atoms.length; i++) {
                if (norms[i] == 0 || contains(chosen, i)) continue;
                double corr = dot(atoms[i], residual) / norms[i];
                if (corr > bestCorr) { bestCorr = corr; best = i; }
            }
            if (best < 0) break;
            int[] trial = Arrays.copyOf(chosen, chosen.length + 1);
            trial[chosen.length] = best;
            double[] trialCoef = nnls(y, atoms, trial);
            double[] trialResidual = residual(y, atoms, trial, trialCoef);
            double trialNorm = Math.sqrt(dot(trialResidual, trialResidual));
            if (resNorm - trialNorm < minGain * yNorm) break;
            chosen = trial;
            coef = trialCoef;
            residual = trialResidual;
            resNorm = trialNorm;
        }
        return sorted(chosen, coef, resNorm);
    }

    /** Same as {@link #solve(double[], double[][], int, double)} for single-precision features. */
    public static Solution solve(float[] y, float[][] atoms, int maxAtoms, double minGain) {
        double[][] a = new double[atoms.length][];
        for (int i = 0; i < atoms.length; i++) a[i] = toDouble(atoms[i]);
        return solve(toDouble(y), a, maxAtoms, minGain);
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
    private static double[] nnls(double[] y, double[][] atoms, int[] set) {
        int k = set.length;
        double[][] gram = new double[k][k];
        double[] b = new double[k];
        for (int i = 0; i < k; i++) {
            b[i] = dot(atoms[set[i]], y);
            for (int j = 0; j <= i; j++) gram[i][j] = gram[j][i] = dot(atoms[set[i]], atoms[set[j]]);
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

    private static double[] residual(double[] y, double[][] atoms, int[] set, double[] coef) {
        double[] r = y.clone();
        for (int i = 0; i < set.length; i++) {
            double[] a = atoms[set[i]];
            double c = coef[i];
            if (c != 0) for (int t = 0; t < r.length; t++) r[t] -= c * a[t];
        }
        return r;
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

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
