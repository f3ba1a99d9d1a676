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
}
