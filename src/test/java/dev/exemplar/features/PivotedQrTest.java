package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRPDecomposition_F64;
import org.junit.jupiter.api.Test;

class PivotedQrTest {

    /** rows x cols row-major product of random rows x rank and rank x cols factors. */
    private static double[] lowRank(int rows, int cols, int rank, Random rnd) {
        double[] u = gaussian(rows * rank, rnd), w = gaussian(rank * cols, rnd);
        double[] a = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < rank; k++)
                for (int j = 0; j < cols; j++) a[i * cols + j] += u[i * rank + k] * w[k * cols + j];
        return a;
    }

    private static double[] gaussian(int n, Random rnd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
        return x;
    }

    private static void setColumn(double[] a, int rows, int cols, int c, double[] values) {
        for (int i = 0; i < rows; i++) a[i * cols + c] = values[i];
    }

    private static double[] column(double[] a, int rows, int cols, int c) {
        double[] x = new double[rows];
        for (int i = 0; i < rows; i++) x[i] = a[i * cols + c];
        return x;
    }

    @Test
    void keepsExactlyTheRankOfALowRankMatrixWithDuplicatedColumns() {
        int rows = 60, cols = 15, rank = 5;
        Random rnd = new Random(11);
        double[] a = lowRank(rows, cols, rank, rnd);
        double[] c1 = column(a, rows, cols, 1), c3 = column(a, rows, cols, 3), c7 = column(a, rows, cols, 7);
        setColumn(a, rows, cols, 12, c3);                                   // exact duplicate
        double[] comb = new double[rows];
        for (int i = 0; i < rows; i++) comb[i] = 2 * c1[i] - c7[i];
        setColumn(a, rows, cols, 13, comb);                                 // linear combination

        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, 1e8, cols);

        assertThat(s.numericalRank()).isEqualTo(rank);
        assertThat(s.columns()).hasSize(rank).doesNotHaveDuplicates();
        assertThat(s.stop()).isEqualTo(PivotedQr.Stop.CONDITION);
        assertThat(PivotedQr.conditionOfColumns(a, rows, cols, s.columns())).isLessThan(1e4);
        // a duplicate pair can never both be kept
        assertThat(Arrays.stream(s.columns()).filter(c -> c == 3 || c == 12).count()).isLessThanOrEqualTo(1);
    }

    @Test
    void keepsPlantedIndependentColumns() {
        int rows = 80, cols = 20;
        Random rnd = new Random(5);
        double[] a = lowRank(rows, cols, 3, rnd);
        setColumn(a, rows, cols, 7, gaussian(rows, rnd));
        setColumn(a, rows, cols, 15, gaussian(rows, rnd));

        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, 1e8, cols);

        assertThat(s.numericalRank()).isEqualTo(5);
        assertThat(s.columns()).contains(7, 15);
    }

    @Test
    void pivotOrderAgreesWithEjmlColumnPivotingQr() {
        int rows = 30, cols = 10;
        Random rnd = new Random(2);
        double[] a = gaussian(rows * cols, rnd);
        for (int j = 0; j < cols; j++) {                  // distinct column scales make the order meaningful
            double scale = 1 + rnd.nextDouble() * 3;
            for (int i = 0; i < rows; i++) a[i * cols + j] *= scale;
        }
        QRPDecomposition_F64<DMatrixRMaj> qrp = DecompositionFactory_DDRM.qrp(rows, cols);
        assertThat(qrp.decompose(new DMatrixRMaj(rows, cols, true, a.clone()))).isTrue();

        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, 1e12, cols);

        assertThat(s.columns()).containsExactly(qrp.getColPivots());
        assertThat(s.stop()).isEqualTo(PivotedQr.Stop.EXHAUSTED);
    }

    @Test
    void stopsBeforeTheConditionEstimateExceedsTau() {
        int rows = 50, cols = 12;
        Random rnd = new Random(9);
        double[] a = gaussian(rows * cols, rnd);
        for (int j = 0; j < cols; j++)                    // column scales spread over 1 .. 1e-6
            for (int i = 0; i < rows; i++) a[i * cols + j] *= Math.pow(10, -j / 2.0);
        double tau = 1e3;

        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, tau, cols);
        PivotedQr.Selection oneMore = PivotedQr.select(a, rows, cols, Double.MAX_VALUE, s.numericalRank() + 1);

        assertThat(s.stop()).isEqualTo(PivotedQr.Stop.CONDITION);
        assertThat(s.numericalRank()).isBetween(4, 9);
        assertThat(s.conditionEstimate()).isLessThanOrEqualTo(tau);
        assertThat(oneMore.conditionEstimate()).isGreaterThan(tau);
        assertThat(Arrays.copyOf(oneMore.columns(), s.numericalRank())).containsExactly(s.columns());
        // cond(R_11) equals cond of the chosen columns of A, and bounds the RRQR estimate from above
        double exact = PivotedQr.conditionOfColumns(a, rows, cols, s.columns());
        assertThat(s.exactCondition()).isCloseTo(exact, within(exact * 1e-8));
        assertThat(exact).isGreaterThanOrEqualTo(s.conditionEstimate() * (1 - 1e-12));
    }

    /**
     * R_11 of every prefix, from the packed rows, gives the exact condition number of its columns,
     * below the SVD limit and above it (Lanczos); trimming keeps the longest prefix within tau.
     */
    @Test
    void prefixesAndTheirTrimKeepExactConditionNumbers() {
        int rows = 300, cols = 200;
        Random rnd = new Random(6);
        double[] a = gaussian(rows * cols, rnd);
        for (int j = 0; j < cols; j++)                    // column scales spread over 1 .. 1e-4
            for (int i = 0; i < rows; i++) a[i * cols + j] *= Math.pow(10, -4.0 * j / cols);
        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, 1e12, cols);
        assertThat(s.numericalRank()).isEqualTo(cols);

        for (int k : new int[] {1, 10, PivotedQr.SVD_LIMIT, PivotedQr.SVD_LIMIT + 1, cols}) {
            PivotedQr.Selection p = s.prefix(k);
            double exact = PivotedQr.conditionOfColumns(a, rows, cols, p.columns());
            assertThat(p.exactCondition()).as("k = %d", k).isCloseTo(exact, within(exact * 1e-8));
        }
        double tau = 300;
        PivotedQr.Selection kept = s.trimmedTo(tau);
        int m = kept.numericalRank();
        assertThat(m).isBetween(2, cols - 1);
        assertThat(PivotedQr.conditionOfColumns(a, rows, cols, kept.columns())).isLessThanOrEqualTo(tau);
        assertThat(PivotedQr.conditionOfColumns(a, rows, cols, s.prefix(m + 1).columns())).isGreaterThan(tau);
    }

    @Test
    void stopsAtMaxColumns() {
        Random rnd = new Random(4);
        PivotedQr.Selection s = PivotedQr.select(gaussian(40 * 20, rnd), 40, 20, 1e6, 6);
        assertThat(s.columns()).hasSize(6);
        assertThat(s.stop()).isEqualTo(PivotedQr.Stop.MAX_COLUMNS);
    }

    @Test
    void dropsConstantColumnsAndSelectsAmongTheRest() {
        int rows = 10, cols = 6;
        Random rnd = new Random(8);
        double[] a = gaussian(rows * cols, rnd);
        for (int i = 0; i < rows; i++) {
            a[i * cols + 1] = 100;   // constant and large: would otherwise be the first pivot
            a[i * cols + 4] = 0;
        }
        int[] kept = PivotedQr.dropConstantColumns(a, rows, cols);
        assertThat(kept).containsExactly(0, 2, 3, 5);

        PivotedQr.Selection s = PivotedQr.select(a, rows, cols, kept, 1e8, cols);
        assertThat(s.columns()).containsExactlyInAnyOrder(0, 2, 3, 5);
    }
}
