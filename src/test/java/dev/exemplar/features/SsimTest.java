package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SsimTest {

    private static float[] random(int w, int h, long seed) {
        Random rnd = new Random(seed);
        float[] img = new float[w * h];
        for (int i = 0; i < img.length; i++) img[i] = rnd.nextFloat();
        return img;
    }

    /** The definition computed directly: a 2-D Gaussian-weighted window at every valid position. */
    private static double directSsim(float[] x, float[] y, int w, int h, double range) {
        int win = 11, half = 5;
        double sigma = 1.5, sum = 0;
        double[][] g = new double[win][win];
        for (int i = 0; i < win; i++)
            for (int j = 0; j < win; j++) {
                g[i][j] = Math.exp(-((i - half) * (i - half) + (j - half) * (j - half)) / (2 * sigma * sigma));
                sum += g[i][j];
            }
        double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range), total = 0;
        int count = 0;
        for (int r = 0; r + win <= h; r++)
            for (int c = 0; c + win <= w; c++) {
                double mx = 0, my = 0;
                for (int i = 0; i < win; i++)
                    for (int j = 0; j < win; j++) {
                        mx += g[i][j] / sum * x[(r + i) * w + c + j];
                        my += g[i][j] / sum * y[(r + i) * w + c + j];
                    }
                double vx = 0, vy = 0, cov = 0;
                for (int i = 0; i < win; i++)
                    for (int j = 0; j < win; j++) {
                        double dx = x[(r + i) * w + c + j] - mx, dy = y[(r + i) * w + c + j] - my;
                        vx += g[i][j] / sum * dx * dx;
                        vy += g[i][j] / sum * dy * dy;
                        cov += g[i][j] / sum * dx * dy;
                    }
                total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        return total / count;
    }

    @Test
    void identicalImagesScoreOne() {
        float[] x = random(40, 30, 1);
        assertThat(Ssim.ssim(x, x.clone(), 40, 30, 1)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void isSymmetric() {
        float[] x = random(32, 32, 2), y = random(32, 32, 3);
        assertThat(Ssim.ssim(x, y, 32, 32, 1)).isEqualTo(Ssim.ssim(y, x, 32, 32, 1), within(1e-12));
    }

    @Test
    void brightnessShiftMatchesTheDirectDefinition() {
        int w = 24, h = 20;
        float[] x = random(w, h, 4), y = new float[w * h];
        for (int i = 0; i < y.length; i++) y[i] = x[i] + 0.2f;
        double expected = directSsim(x, y, w, h, 1);
        assertThat(Ssim.ssim(x, y, w, h, 1)).isCloseTo(expected, within(1e-9));
        // a pure shift leaves the structure term at 1 and only lowers luminance
        assertThat(expected).isBetween(0.8, 0.999);
    }

    @Test
    void smallNoiseMatchesTheDirectDefinition() {
        int w = 30, h = 26;
        float[] x = random(w, h, 5), y = new float[w * h];
        Random rnd = new Random(6);
        for (int i = 0; i < y.length; i++) y[i] = (float) (255 * x[i] + 5 * rnd.nextGaussian());
        for (int i = 0; i < x.length; i++) x[i] *= 255;
        double expected = directSsim(x, y, w, h, 255);
        assertThat(Ssim.ssim(x, y, w, h, 255)).isCloseTo(expected, within(1e-9));
        assertThat(expected).isBetween(0.9, 0.999);
    }

    @Test
    void unrelatedImagesScoreLow() {
        assertThat(Ssim.ssim(random(64, 64, 7), random(64, 64, 8), 64, 64, 1)).isLessThan(0.1);
        // an image and its negative are anti-correlated
        float[] x = random(64, 64, 9), neg = new float[x.length];
        for (int i = 0; i < x.length; i++) neg[i] = 1 - x[i];
        assertThat(Ssim.ssim(x, neg, 64, 64, 1)).isLessThan(0);
    }

    @Test
    void imagesSmallerThanTheWindowUseASmallerOne() {
        assertThat(Ssim.window(6)).hasSize(5);
        assertThat(Ssim.window(7)).hasSize(7);
        assertThat(Ssim.window(100)).hasSize(11);
        float[] x = random(8, 6, 10);
        assertThat(Ssim.ssim(x, x, 8, 6, 1)).isCloseTo(1.0, within(1e-9));
        assertThat(Ssim.ssim(x, random(8, 6, 11), 8, 6, 1)).isLessThan(0.5);
    }

    /** Sum of the normalised 11-tap Gaussian weights (sigma 1.5) with alternating signs: how much of a +-1 checkerboard a window sees. */
    private static double alternatingWindowSum() {
        double sum = 0, alt = 0;
        for (int k = -5; k <= 5; k++) {
            double g = Math.exp(-k * k / (2 * 1.5 * 1.5));
            sum += g;
            alt += (k % 2 == 0 ? 1 : -1) * g;
        }
        return alt / sum;
    }

    private static float[] checkerboard(int side, double mean, double amplitude) {
        float[] img = new float[side * side];
        for (int r = 0; r < side; r++) for (int c = 0; c < side; c++) img[r * side + c] = (float) (mean + amplitude * ((r + c) % 2 == 0 ? 1 : -1));
        return img;
    }

    @Test
    void constantBrightnessShiftOfAFlatImageByHand() {
        // x = 128, y = 148 on a 0..255 scale: no variance, so SSIM is the luminance term alone,
        // (2 * 128 * 148 + C1) / (128^2 + 148^2 + C1) with C1 = (0.01 * 255)^2 = 6.5025
        float[] x = new float[32 * 32], y = new float[32 * 32];
        java.util.Arrays.fill(x, 128);
        java.util.Arrays.fill(y, 148);
        double expected = (2 * 128 * 148 + 6.5025) / (128 * 128 + 148 * 148 + 6.5025);
        assertThat(expected).isCloseTo(0.989555, within(1e-6));
        assertThat(Ssim.ssim(x, y, 32, 32, 255)).isCloseTo(expected, within(1e-9));
        assertThat(Ssim.ssim(Ssim.prepare(x, 32, 32, 255), Ssim.prepare(y, 32, 32, 255))).isCloseTo(expected, within(1e-9));
    }

    @Test
    void constantBrightnessShiftOfATexturedImageByHand() {
        // x is a checkerboard 100 +- 30, y = x + 40. A window centred on a +30 square has the mean
        // 100 + 30 s (s = the alternating sum of the weights, s^2 per axis pair), on a -30 square 100 - 30 s;
        // the variances and the covariance are equal, so the structure term is exactly 1, and SSIM is the
        // mean of the two luminance terms, half of the 22 x 22 window positions each.
        double s = alternatingWindowSum(), s2 = s * s, c1 = 6.5025;
        float[] x = checkerboard(32, 100, 30), y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] + 40;
        double expected = 0;
        for (int sign : new int[] {1, -1}) {
            double mx = 100 + sign * 30 * s2, my = mx + 40;
            expected += 0.5 * (2 * mx * my + c1) / (mx * mx + my * my + c1);
        }
        assertThat(Ssim.ssim(x, y, 32, 32, 255)).isCloseTo(expected, within(1e-7));
        assertThat(Ssim.ssim(Ssim.prepare(x, 32, 32, 255), Ssim.prepare(y, 32, 32, 255))).isCloseTo(expected, within(1e-7));
        assertThat(expected).isBetween(0.9, 0.99);
    }

    @Test
    void smallNoiseOnAFlatImageByHand() {
        // x = 128 everywhere, y = 128 +- 4 as a checkerboard (the noise). Per window: mu_x = 128,
        // var_x = cov = 0; mu_y = 128 +- 4 s^2, E[y^2] = 128^2 +- 2 * 128 * 4 s^2 + 16, so
        // var_y = 16 (1 - s^4); SSIM = (2 mu_x mu_y + C1) C2 / ((mu_x^2 + mu_y^2 + C1)(var_y + C2)),
        // C2 = (0.03 * 255)^2 = 58.5225, averaged over the two kinds of window position.
        double s = alternatingWindowSum(), s2 = s * s, c1 = 6.5025, c2 = 58.5225;
        float[] x = checkerboard(32, 128, 0), y = checkerboard(32, 128, 4);
        double vy = 16 * (1 - s2 * s2), expected = 0;
        for (int sign : new int[] {1, -1}) {
            double my = 128 + sign * 4 * s2;
            expected += 0.5 * (2 * 128 * my + c1) * c2 / ((128 * 128 + my * my + c1) * (vy + c2));
        }
        assertThat(Ssim.ssim(x, y, 32, 32, 255)).isCloseTo(expected, within(1e-7));
        assertThat(Ssim.ssim(Ssim.prepare(x, 32, 32, 255), Ssim.prepare(y, 32, 32, 255))).isCloseTo(expected, within(1e-7));
        assertThat(expected).isBetween(0.7, 0.9);
    }

    @Test
    void preparedImagesGiveTheSameValue() {
        for (long seed = 20; seed < 25; seed++) {
            float[] x = random(32, 32, seed), y = random(32, 32, seed + 100);
            for (int i = 0; i < y.length; i++) y[i] = 0.6f * y[i] + 0.4f * x[i];
            double direct = Ssim.ssim(x, y, 32, 32, 1);
            assertThat(Ssim.ssim(Ssim.prepare(x, 32, 32, 1), Ssim.prepare(y, 32, 32, 1))).isCloseTo(direct, within(1e-6));
        }
        float[] x = random(32, 32, 30);
        assertThat(Ssim.ssim(Ssim.prepare(x, 32, 32, 1), Ssim.prepare(x, 32, 32, 1))).isCloseTo(1.0, within(1e-6));
    }
}
