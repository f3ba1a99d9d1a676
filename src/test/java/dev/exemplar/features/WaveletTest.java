package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.exemplar.features.Wavelet.Family;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class WaveletTest {

    private static float[] randomImage(int side, long seed) {
        Random rnd = new Random(seed);
        float[] img = new float[side * side];
        for (int i = 0; i < img.length; i++) img[i] = rnd.nextFloat();
        return img;
    }

    private static double energy(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return s;
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void inverseReconstructsTheImageAtOneToThreeLevels(Family f) {
        for (int levels = 1; levels <= 3; levels++) {
            float[] img = randomImage(32, 7 + levels);
            float[] back = Wavelet.inverse(Wavelet.forward(img, 32, levels, f), 32, levels, f);
            double maxErr = 0;
            for (int i = 0; i < img.length; i++) maxErr = Math.max(maxErr, Math.abs(img[i] - back[i]));
            assertThat(maxErr).as("levels %d", levels).isLessThan(1e-4);
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void transformPreservesEnergy(Family f) {
        float[] img = randomImage(64, 3);
        for (int levels = 1; levels <= 3; levels++) {
            float[] c = Wavelet.forward(img, 64, levels, f);
            assertThat(energy(c)).isCloseTo(energy(img), within(1e-5 * energy(img)));
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void constantImageHasOnlyALowBand(Family f) {
        int side = 16, levels = 3;
        float[] img = new float[side * side];
        java.util.Arrays.fill(img, 0.7f);
        float[] c = Wavelet.forward(img, side, levels, f);
        int n = side >> levels;
        for (int r = 0; r < side; r++) {
            for (int col = 0; col < side; col++) {
                if (r < n && col < n) {
                    // each level multiplies the mean by 2 (sum of the filter is sqrt 2, in two directions)
                    assertThat(c[r * side + col]).isCloseTo(0.7f * (1 << levels), within(1e-5f));
                } else {
                    assertThat(c[r * side + col]).as("detail (%d,%d)", r, col).isCloseTo(0f, within(1e-6f));
                }
            }
        }
    }

    @Test
    void haarOnTwoByTwoMatchesHandComputation() {
        // rows: (1,2) -> (3, -1)/sqrt2, (3,4) -> (7, -1)/sqrt2; columns: (3,7)/sqrt2 -> 5, -2 ; (-1,-1)/sqrt2 -> -1, 0
        float[] c = Wavelet.forward(new float[] {1, 2, 3, 4}, 2, 1, Family.HAAR);
        assertThat(c).containsExactly(new float[] {5, -1, -2, 0}, within(1e-6f));
    }

    @Test
    void db4UsesTheDaubechiesFourTapFilter() {
        // reconstruction low-pass of db2 as tabulated by PyWavelets
        double h0 = 0.48296291314453414, h2 = 0.22414386804201339, h3 = -0.12940952255126037;
        float[] delta = new float[16];
        delta[0] = 1;
        float[] c = Wavelet.forward(delta, 4, 1, Family.DB4);
        assertThat((double) c[0]).isCloseTo(h0 * h0, within(1e-7));      // lo(row) lo(col), i = 0
        assertThat((double) c[1]).isCloseTo(h2 * h0, within(1e-7));      // x[0] reached by tap 2 of i = 1 (periodic)
        assertThat((double) c[2]).isCloseTo(h3 * h0, within(1e-7));      // high-pass g0 = h3
    }

    @Test
    void lowBandIsTheTopLeftBlock() {
        float[] c = new float[64];
        for (int i = 0; i < 64; i++) c[i] = i;
        assertThat(Wavelet.lowBand(c, 8, 2)).containsExactly(0, 1, 8, 9);
        assertThat(Wavelet.lowBand(c, 8, 1)).containsExactly(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
    }

    @Test
    void rejectsSidesNotDivisibleByTwoToTheLevels() {
        assertThatThrownBy(() -> Wavelet.forward(new float[36], 6, 2, Family.HAAR))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
