package dev.exemplar.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NonNegativeOmpTest {

    private static double[][] randomAtoms(int count, int dim, Random rnd) {
        double[][] atoms = new double[count][dim];
        for (double[] a : atoms) for (int i = 0; i < dim; i++) a[i] = rnd.nextGaussian();
        return atoms;
    }

    private static double[] combine(double[][] atoms, int[] idx, double[] coef) {
        double[] y = new double[atoms[0].length];
        for (int k = 0; k < idx.length; k++) for (int i = 0; i < y.length; i++) y[i] += coef[k] * atoms[idx[k]][i];
        return y;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    @Test
    void recoversAPlantedThreeSparseNonNegativeCombination() {
        double[][] atoms = randomAtoms(20, 50, new Random(1));
        double[] y = combine(atoms, new int[] {12, 3, 7}, new double[] {0.7, 2.0, 1.5});

        NonNegativeOmp.Solution s = NonNegativeOmp.solve(y, atoms, 3, 0.02);

        assertThat(s.atoms()).containsExactly(3, 7, 12);
        assertThat(s.coefficients()).containsExactly(new double[] {2.0, 1.5, 0.7}, within(1e-6));
        assertThat(s.residualNorm()).isLessThan(1e-9);
        // allowing more atoms adds nothing: the residual is already zero
        assertThat(NonNegativeOmp.solve(y, atoms, 6, 0.02).atoms()).containsExactly(3, 7, 12);
    }

    @Test
    void coefficientsAreNeverNegative() {
        Random rnd = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            double[][] atoms = randomAtoms(15, 8, rnd);
            double[] y = new double[8];
            for (int i = 0; i < 8; i++) y[i] = rnd.nextGaussian();

            NonNegativeOmp.Solution s = NonNegativeOmp.solve(y, atoms, 5, 0);

            for (double c : s.coefficients()) assertThat(c).isPositive();
            double[] r = y.clone();
            double[] fit = combine(atoms, s.atoms(), s.coefficients());
            for (int i = 0; i < r.length; i++) r[i] -= fit[i];
            assertThat(s.residualNorm()).isCloseTo(norm(r), within(1e-9)).isLessThanOrEqualTo(norm(y));
        }
    }

    @Test
    void keepsTheCoefficientAtZeroWhereLeastSquaresWouldGoNegative() {
        // y = a0 - 0.5 a1: plain OMP (by absolute correlation) would add a1 with coefficient -0.5
        double[][] atoms = {{1, 0, 0}, {0.6, 0.8, 0}};
        double[] y = {1 - 0.3, -0.4, 0};
        NonNegativeOmp.Solution s = NonNegativeOmp.solve(y, atoms, 2, 0);
        assertThat(s.atoms()).containsExactly(0);
        assertThat(s.coefficients()).containsExactly(new double[] {0.7}, within(1e-12));
        assertThat(s.residualNorm()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void stopsAtOneAtomWhenTheTargetIsAnAtom() {
        double[][] atoms = randomAtoms(20, 30, new Random(3));
        NonNegativeOmp.Solution s = NonNegativeOmp.solve(atoms[4].clone(), atoms, 3, 0.02);
        assertThat(s.atoms()).containsExactly(4);
        assertThat(s.coefficients()).containsExactly(new double[] {1.0}, within(1e-9));
        assertThat(s.residualNorm()).isLessThan(1e-9);
    }

    @Test
    void stopsEarlyWhenAnotherAtomWouldNotHelpEnough() {
        double[][] atoms = randomAtoms(20, 40, new Random(4));
        // a 1% admixture of atom 9: it explains less than 2% of ||y||, so it is not worth a link
        double[] y = combine(atoms, new int[] {2, 9}, new double[] {1.0, 0.01});

        assertThat(NonNegativeOmp.solve(y, atoms, 3, 0.02).atoms()).containsExactly(2);
        NonNegativeOmp.Solution fine = NonNegativeOmp.solve(y, atoms, 3, 1e-4);
        assertThat(fine.atoms()).containsExactly(2, 9);
        assertThat(fine.coefficients()).containsExactly(new double[] {1.0, 0.01}, within(1e-9));
    }

    @Test
    void floatOverloadAgrees() {
        float[][] atoms = {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}};
        float[] y = {2, 0, 2};
        NonNegativeOmp.Solution s = NonNegativeOmp.solve(y, atoms, 3, 0.02);
        assertThat(s.atoms()).containsExactly(0);
        assertThat(s.coefficients()).containsExactly(new double[] {2.0}, within(1e-12));
    }

    @Test
    void zeroTargetNeedsNoAtoms() {
        NonNegativeOmp.Solution s = NonNegativeOmp.solve(new double[5], randomAtoms(4, 5, new Random(5)), 3, 0.02);
        assertThat(s.atoms()).isEmpty();
        assertThat(s.residualNorm()).isZero();
    }
}
