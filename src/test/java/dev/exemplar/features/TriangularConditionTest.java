package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/** Lanczos on packed R against a dense SVD of the same matrix. */
class TriangularConditionTest {

    /** An upper-triangular k x k matrix whose columns shrink from 1 to about 1e-3, rows packed. */
    private static double[] packedR(int k, long seed) {
        Random rnd = new Random(seed);
        double[] r = new double[UpperPacked.size(k, k)];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double scale = Math.pow(1e-3, j / (double) k);
                r[UpperPacked.index(i, j, k)] = (j == i ? 1 + rnd.nextDouble() : 0.3 * rnd.nextGaussian()) * scale;
            }
        }
        return r;
    }

    private static double svdCondition(double[] packed, int k) {
        DMatrixRMaj full = new DMatrixRMaj(k, k);
        for (int i = 0; i < k; i++) for (int j = i; j < k; j++) full.set(i, j, packed[UpperPacked.index(i, j, k)]);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, k, false, false, true);
        assertThat(svd.decompose(full)).isTrue();
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (double s : svd.getSingularValues()) {
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        return max / min;
    }

    @Test
    void agreesWithTheSvdOverSeveralBlocksOfTheBackSubstitution() {
        for (int k : new int[] {1, 2, 63, 64, 65, 333}) {
            double[] r = packedR(k, k);
            double expected = svdCondition(r, k);

            assertThat(TriangularCondition.of(r, k)).as("k = %d", k).isCloseTo(expected, within(expected * 1e-9));
        }
    }
}
