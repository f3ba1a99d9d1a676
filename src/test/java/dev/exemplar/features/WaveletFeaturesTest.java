package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exemplar.image.Thumbnail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WaveletFeaturesTest {
    static final int SIZE = 64, PLANE = 1024;

    /** A smooth random plane: a few blobs of random size, place and height, in the given range. */
    private static float[] plane(Random rnd, float lo, float hi) {
        float[] p = new float[SIZE * SIZE];
        for (int k = 0; k < 4; k++) {
            double cx = rnd.nextDouble() * SIZE, cy = rnd.nextDouble() * SIZE, r = 4 + rnd.nextDouble() * 20;
            double h = rnd.nextDouble() * (hi - lo) / 2;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    p[y * SIZE + x] += (float) (h * Math.exp(-d2 / (2 * r * r)));
                }
            }
        }
        for (int i = 0; i < p.length; i++) p[i] = Math.min(hi, lo + p[i] + rnd.nextFloat());
        return p;
    }

    private static Thumbnail random(Random rnd) {
        return new Thumbnail(SIZE, plane(rnd, 0, 100), plane(rnd, -60, 60), plane(rnd, -60, 60));
    }

    private static List<Thumbnail> dataset(int n, long seed) {
        Random rnd = new Random(seed);
        List<Thumbnail> t = new ArrayList<>();
        for (int i = 0; i < n; i++) t.add(random(rnd));
        return t;
    }

    /** The full 3072-coefficient matrix, row-major, as the features see it before selection. */
    private static double[] matrix(List<Thumbnail> t) {
        double[] w = new double[t.size() * WaveletFeatures.COEFFICIENTS];
        for (int i = 0; i < t.size(); i++) {
            float[] c = WaveletFeatures.coefficients(t.get(i), Wavelet.Family.HAAR);
            for (int j = 0; j < c.length; j++) w[i * c.length + j] = c[j];
        }
        return w;
    }

    @Test
    void exactCopiesGiveIdenticalRows() {
        List<Thumbnail> t = dataset(30, 1);
        t.add(t.get(3));
        t.add(t.get(17));
        WaveletFeatures.Features f = WaveletFeatures.of(t, WaveletFeatures.Options.defaults());
        assertThat(f.vectors()[30]).containsExactly(f.vectors()[3]);
        assertThat(f.vectors()[31]).containsExactly(f.vectors()[17]);
        assertThat(f.vectors()[3]).isNotEqualTo(f.vectors()[17]);
    }

    @Test
    void keptColumnsAreWellConditionedAndCapped() {
        List<Thumbnail> t = dataset(80, 2);
        double[] w = matrix(t);
        for (double tau : new double[] {10, 1e3, 1e5}) {
            for (int cap : new int[] {5, 40, 512}) {
                WaveletFeatures.Features f = WaveletFeatures.of(t, new WaveletFeatures.Options(Wavelet.Family.HAAR, tau, cap));
                String at = "tau " + tau + ", cap " + cap;
                assertThat(f.m()).as(at).isPositive().isLessThanOrEqualTo(Math.min(cap, t.size()));
                assertThat(f.conditionEstimate()).as(at).isLessThanOrEqualTo(tau);
                assertThat(f.condition()).as(at).isLessThanOrEqualTo(tau);
                double exact = PivotedQr.conditionOfColumns(w, t.size(), WaveletFeatures.COEFFICIENTS, f.columns());
                assertThat(f.condition()).as(at).isCloseTo(exact, within(exact * 1e-6));
                assertThat(f.numericalRank()).isEqualTo(f.m());
            }
        }
    }

    @Test
    void aLooseTauKeepsTheCapAndATightOneKeepsFewer() {
        List<Thumbnail> t = dataset(80, 3);
        WaveletFeatures.Features capped = WaveletFeatures.of(t, new WaveletFeatures.Options(Wavelet.Family.HAAR, 1e5, 20));
        assertThat(capped.m()).isEqualTo(20);
        assertThat(capped.rankCapped()).isTrue();
        WaveletFeatures.Features tight = WaveletFeatures.of(t, new WaveletFeatures.Options(Wavelet.Family.HAAR, 5, 512));
        assertThat(tight.m()).isLessThan(20);
        assertThat(tight.rankCapped()).isFalse();
    }

    @Test
    void coefficientsConstantOverTheDatasetAreDropped() {
        Random rnd = new Random(4);
        float[] sharedA = plane(rnd, -60, 60); // varies over the image but is the same for every item
        List<Thumbnail> t = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            t.add(new Thumbnail(SIZE, plane(rnd, 0, 100), sharedA.clone(), plane(rnd, -60, 60)));
        }
        WaveletFeatures.Features f = WaveletFeatures.of(t, WaveletFeatures.Options.defaults());
        assertThat(f.varying()).isLessThanOrEqualTo(2 * PLANE);
        assertThat(Arrays.stream(f.columns()).filter(c -> c >= PLANE && c < 2 * PLANE)).isEmpty();
        assertThat(Arrays.stream(f.columns()).filter(c -> c < PLANE)).isNotEmpty();
        assertThat(Arrays.stream(f.columns()).filter(c -> c >= 2 * PLANE)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Wavelet.Family.class)
    void rowsHaveUnitNorm(Wavelet.Family family) {
        WaveletFeatures.Features f = WaveletFeatures.of(dataset(25, 5), new WaveletFeatures.Options(family, 1e5, 512));
        assertThat(f.vectors()).hasNumberOfRows(25);
        for (float[] v : f.vectors()) {
            assertThat(v).hasSize(f.m());
            assertThat(Math.sqrt(Kernels.dotInDouble(v, v))).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void fewItemsKeepAtMostOneColumnPerItem() {
        WaveletFeatures.Features one = WaveletFeatures.of(dataset(1, 6), WaveletFeatures.Options.defaults());
        assertThat(one.m()).isZero();                      // one item: nothing varies
        assertThat(one.vectors()[0]).containsExactly(1f);  // still a unit vector, so it compares with itself

        WaveletFeatures.Features two = WaveletFeatures.of(dataset(2, 7), WaveletFeatures.Options.defaults());
        assertThat(two.m()).isBetween(1, 2);
        assertThat(two.numericalRank()).isLessThanOrEqualTo(2);
        assertThat(two.rankCapped()).isFalse();
        for (float[] v : two.vectors()) assertThat(Math.sqrt(Kernels.dotInDouble(v, v))).isCloseTo(1, within(1e-5));

        WaveletFeatures.Features same = WaveletFeatures.of(List.of(random(new Random(8)), random(new Random(8))),
                WaveletFeatures.Options.defaults());
        assertThat(same.m()).isZero();
        assertThat(same.vectors()[0]).containsExactly(same.vectors()[1]);
    }
}
