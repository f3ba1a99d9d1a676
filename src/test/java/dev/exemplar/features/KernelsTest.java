package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {
    private static float[] random(int n, Random rnd) {
        return RandomVectors.gaussian(n, rnd);
    }

    private static double exactDot(float[] a, int ao, float[] b, int bo, int stride, int d) {
        return RandomVectors.exactDot(a, ao, b, bo, stride, d);
    }

    @Test
    void theTestsRunTheVectorKernelsAsTheCommandLineDoes() {
        assertThat(Kernels.VECTOR).as("surefire adds jdk.incubator.vector, as the launcher does").isTrue();
    }

    @Test
    void vectorAndPlainDotProductsAgreeForAnyLength() {
        Random rnd = new Random(1);
        for (int d : new int[] {0, 1, 7, 31, 33, 256, 3_986}) {
            float[] a = random(d, rnd), b = random(d, rnd);
            double exact = exactDot(a, 0, b, 0, 1, d), scale = Math.sqrt(d) + 1;
            assertThat((double) VectorKernels.dot(a, b)).as("vector, d = %d", d).isCloseTo(exact, within(1e-5 * scale));
            assertThat((double) Kernels.scalarDot(a, b)).as("plain, d = %d", d).isCloseTo(exact, within(1e-5 * scale));
        }
    }

    @Test
    void theDoubleSumsAgreeWithTheExactDotProduct() {
        Random rnd = new Random(3);
        for (int d : new int[] {0, 1, 7, 256, 3_986}) {
            float[] a = random(d, rnd), b = random(d, rnd);
            double exact = exactDot(a, 0, b, 0, 1, d), scale = Math.sqrt(d) + 1;
            assertThat(Kernels.dotInDouble(a, b)).as("float vectors, d = %d", d).isCloseTo(exact, within(1e-6 * scale));
            double[] x = new double[d], y = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = a[i];
                y[i] = b[i];
            }
            assertThat(Kernels.dot(x, y)).as("double vectors, d = %d", d).isCloseTo(exact, within(1e-9 * scale));
        }
    }

    @Test
    void bothTilesHoldTheDotProductsOfEveryRowWithEveryColumn() {
        Random rnd = new Random(2);
        for (int d : new int[] {3, 64, 257}) {
            int rows = 8, width = 64, off = 3 * d;
            float[] a = random(off + rows * d, rnd), bt = random(d * width, rnd);
            float[] vector = new float[rows * width], plain = new float[rows * width];
            VectorKernels.tile(a, off, rows, d, bt, width, vector);
            Kernels.scalarTile(a, off, rows, d, bt, width, plain);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < width; j++) {
                    double exact = exactDot(a, off + i * d, bt, j, width, d);
                    assertThat((double) vector[i * width + j]).isCloseTo(exact, within(1e-4));
                    assertThat((double) plain[i * width + j]).isCloseTo(exact, within(1e-4));
                }
            }
        }
    }

    @Test
    void theFirstSimilarityAtLeastAThresholdIsFoundAcrossVectorBoundaries() {
        float[] s = new float[100];
        java.util.Arrays.fill(s, -1f);
        s[37] = 0.5f;
        s[90] = 0.7f;
        assertThat(VectorKernels.firstAtLeast(s, 0, 100, 0.5f)).isEqualTo(37);
        assertThat(VectorKernels.firstAtLeast(s, 38, 100, 0.5f)).isEqualTo(90);
        assertThat(VectorKernels.firstAtLeast(s, 38, 90, 0.5f)).isEqualTo(90);
        assertThat(VectorKernels.firstAtLeast(s, 0, 100, 0.8f)).isEqualTo(100);
    }

    @Test
    void vectorAndPlainNearestKeepTheSameNearestAndSecondNearest() {
        Random rnd = new Random(7);
        int width = 64;
        float[] colNorms = new float[width], vb = new float[width], vs = new float[width], vi = new float[width];
        for (int j = 0; j < width; j++) colNorms[j] = rnd.nextInt(1000);
        java.util.Arrays.fill(vb, Float.MAX_VALUE);
        java.util.Arrays.fill(vs, Float.MAX_VALUE);
        float[] pb = vb.clone(), ps = vs.clone(), pi = vi.clone();
        for (int row = 0; row < 50; row++) {
            float[] dots = new float[width];
            for (int j = 0; j < width; j++) dots[j] = rnd.nextInt(400) - 200; // whole numbers, ties included
            float rowNorm = rnd.nextInt(1000);
            VectorKernels.nearest(dots, 0, width, rowNorm, row, colNorms, vb, vs, vi);
            Kernels.scalarNearest(dots, 0, width, rowNorm, row, colNorms, pb, ps, pi);
        }
        assertThat(vb).containsExactly(pb);
        assertThat(vs).containsExactly(ps);
        assertThat(vi).containsExactly(pi);
    }
}
