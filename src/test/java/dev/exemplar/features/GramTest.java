package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tiled kernel against plain sums, on shapes that cut tiles and groups of four rows unevenly. */
class GramTest {

    private static float[][] rows(int n, int d, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) for (int j = 0; j < d; j++) row[j] = (float) (rnd.nextGaussian() * (1 + j % 7));
        return x;
    }

    private static double plain(float[][] x, int r0, int r1, int u, int v) {
        double s = 0;
        for (int r = r0; r < r1; r++) s += (double) x[r][u] * x[r][v];
        return s;
    }

    @Test
    void upperTriangleOfTheGramMatrix() {
        int n = 37, d = 700;                                 // 37 = 9 groups of four and one row; 700 columns span two tiles
        float[][] x = rows(n, d, 3);

        double[] g = Gram.upper(Gram.of(x), n, d);

        double[] norm2 = new double[d];
        for (int j = 0; j < d; j++) norm2[j] = plain(x, 0, n, j, j);
        assertThat(g).hasSize(UpperPacked.size(d, d));
        for (int u = 0; u < d; u++) {
            for (int v = u; v < d; v++) {
                double scale = Math.sqrt(norm2[u] * norm2[v]);
                assertThat(Math.abs(g[UpperPacked.index(u, v, d)] - plain(x, 0, n, u, v))).as("(%d, %d)", u, v)
                        .isLessThanOrEqualTo(1e-13 * scale);
            }
        }
    }

    @Test
    void subtractsTheProductsOfSomeRowsFromTheTrailingBlockOnly() {
        int n = 23, d = 600, from = 130;
        float[][] x = rows(n, d, 5);
        double[] flat = new double[n * d];
        for (int r = 0; r < n; r++) for (int j = 0; j < d; j++) flat[r * d + j] = x[r][j];
        double[] g = new double[UpperPacked.size(d, d)];
        java.util.Arrays.fill(g, 1.0);

        Gram.addProducts(Gram.of(flat, d), 6, 19, -1, g, from, d);

        for (int u = 0; u < d; u++) {
            for (int v = u; v < d; v++) {
                double expected = u >= from ? 1 - plain(x, 6, 19, u, v) : 1;
                assertThat(g[UpperPacked.index(u, v, d)]).as("(%d, %d)", u, v)
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-11));
            }
        }
    }
}
