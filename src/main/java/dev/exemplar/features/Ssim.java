package dev.exemplar.features;

import java.util.Arrays;

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004) of two grey images: local means,
 * variances and covariance under an 11 x 11 Gaussian window (sigma 1.5), combined per window
 * position and averaged over the positions where the window fits entirely inside the image. This
 * matches scikit-image's structural_similarity with gaussian_weights=True and
 * use_sample_covariance=False. The window is separable, so each statistic costs two 1-D passes.
 */
public final class Ssim {

    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;

    private Ssim() { }

    /**
     * Mean SSIM of two row-major w x h images with values in a range of width {@code dynamicRange}
     * (e.g. 1 for [0,1], 255 for bytes). Symmetric in x and y; 1 exactly when they are identical.
     */
    public static double ssim(float[] x, float[] y, int w, int h, double dynamicRange) {
        if (w <= 0 || h <= 0 || x.length != w * h || y.length != w * h) {
            throw new IllegalArgumentException("images must both hold " + w + " x " + h + " values");
        }
        double[] g = window(Math.min(w, h));
        int win = g.length, ow = w - win + 1, oh = h - win + 1;
        double c1 = Math.pow(0.01 * dynamicRange, 2), c2 = Math.pow(0.03 * dynamicRange, 2);

        // Horizontal pass of the five products, then the vertical pass one output row at a time.
        int n = h * ow;
        double[] hx = new double[n], hy = new double[n], hxx = new double[n], hyy = new double[n], hxy = new double[n];
        for (int r = 0; r < h; r++) {
            int in = r * w, out = r * ow;
            for (int c = 0; c < ow; c++) {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int k = 0; k < win; k++) {
                    double a = x[in + c + k], b = y[in + c + k], gk = g[k];
                    sx += gk * a;
                    sy += gk * b;
                    sxx += gk * a * a;
                    syy += gk * b * b;
                    sxy += gk * a * b;
                }
                hx[out + c] = sx; hy[out + c] = sy; hxx[out + c] = sxx; hyy[out + c] = syy; hxy[out + c] = sxy;
            }
        }
        double total = 0;
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
                for (int k = 0; k < win; k++) {
                    int i = (r + k) * ow + c;
                    double gk = g[k];
                    mx += gk * hx[i];
                    my += gk * hy[i];
                    exx += gk * hxx[i];
                    eyy += gk * hyy[i];
                    exy += gk * hxy[i];
                }
                double vx = exx - mx * mx, vy = eyy - my * my, cov = exy - mx * my;
                total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        }
        return total / ((double) ow * oh);
    }

    /**
     * One image with its local means and mean squares under the window, computed once, so that
     * comparing it with many others (all pairs of a dataset) costs one filtered product per pair
     * instead of five filtered planes. {@link #ssim(Prepared, Prepared)} equals
     * {@link #ssim(float[], float[], int, int, double)} of the same images.
     */
    public static final class Prepared {
        final float[] x;
        final int w, h;
        final double range;
        final double[] g, mean, meanSquare;

        private Prepared(float[] x, int w, int h, double range) {
            this.x = x;
            this.w = w;
            this.h = h;
            this.range = range;
            this.g = window(Math.min(w, h));
            float[] sq = new float[x.length];
            for (int i = 0; i < x.length; i++) sq[i] = x[i] * x[i];
            this.mean = filter(x, w, h, g);
            this.meanSquare = filter(sq, w, h, g);
        }

        public int width() {
            return w;
        }

        int height() {
            return h;
        }

        /** A copy of the image's values, row-major. */
        public float[] pixels() {
            return x.clone();
        }

        /** The width of the value range the constants are scaled to. */
        public double range() {
            return range;
        }
    }

    /** Prepares a row-major w x h image with values in a range of width {@code dynamicRange} for many comparisons. */
    public static Prepared prepare(float[] x, int w, int h, double dynamicRange) {
        if (w <= 0 || h <= 0 || x.length != w * h) throw new IllegalArgumentException("image must hold " + w + " x " + h + " values");
        return new Prepared(x.clone(), w, h, dynamicRange);
    }

    /** Mean SSIM of two prepared images of one size and range. */
    public static double ssim(Prepared a, Prepared b) {
        if (a.w != b.w || a.h != b.h || a.range != b.range) throw new IllegalArgumentException("images differ in size or range");
        int w = a.w, h = a.h, win = a.g.length, ow = w - win + 1, oh = h - win + 1;
        double[] g = a.g, xy = new double[w * h], rows = new double[h * ow], exy = new double[ow];
        float[] x = a.x, y = b.x;
        for (int i = 0; i < xy.length; i++) xy[i] = (double) x[i] * y[i];
        // horizontal pass of the product; taps outermost so the inner loop is a plain multiply-add over a row
        for (int r = 0; r < h; r++) {
            int in = r * w, out = r * ow;
            for (int k = 0; k < win; k++) {
                double gk = g[k];
                int from = in + k;
                for (int c = 0; c < ow; c++) rows[out + c] += gk * xy[from + c];
            }
        }
        double c1 = Math.pow(0.01 * a.range, 2), c2 = Math.pow(0.03 * a.range, 2), total = 0;
        for (int r = 0; r < oh; r++) {
            Arrays.fill(exy, 0);
            for (int k = 0; k < win; k++) {
                double gk = g[k];
                int from = (r + k) * ow;
                for (int c = 0; c < ow; c++) exy[c] += gk * rows[from + c];
            }
            int at = r * ow;
            for (int c = 0; c < ow; c++) {
                double mx = a.mean[at + c], my = b.mean[at + c];
                double vx = a.meanSquare[at + c] - mx * mx, vy = b.meanSquare[at + c] - my * my, cov = exy[c] - mx * my;
                total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        }
        return total / ((double) ow * oh);
    }

    /** The window-weighted mean of v at every position where the window fits: (h-win+1) x (w-win+1), row-major. */
    private static double[] filter(float[] v, int w, int h, double[] g) {
        int win = g.length, ow = w - win + 1, oh = h - win + 1;
        double[] rows = new double[h * ow];
        for (int r = 0; r < h; r++) {
            int in = r * w, out = r * ow;
            for (int c = 0; c < ow; c++) {
                double s = 0;
                for (int k = 0; k < win; k++) s += g[k] * v[in + c + k];
                rows[out + c] = s;
            }
        }
        double[] out = new double[oh * ow];
        for (int r = 0; r < oh; r++) {
            for (int k = 0; k < win; k++) {
                double gk = g[k];
                int from = (r + k) * ow, to = r * ow;
                for (int c = 0; c < ow; c++) out[to + c] += gk * rows[from + c];
            }
        }
        return out;
    }

    /**
     * Normalised 1-D Gaussian weights. Images narrower than 11 px get the largest odd window that
     * fits, with sigma shrunk in proportion (1.5 * size / 11), so there is always at least one
     * window position and the window keeps the same shape relative to its size.
     */
    static double[] window(int minSide) {
        int size = Math.min(WINDOW, minSide % 2 == 1 ? minSide : minSide - 1);
        double sigma = SIGMA * size / WINDOW;
        double[] g = new double[size];
        int half = size / 2;
        double sum = 0;
        for (int k = 0; k < size; k++) {
            g[k] = Math.exp(-0.5 * (k - half) * (k - half) / (sigma * sigma));
            sum += g[k];
        }
        for (int k = 0; k < size; k++) g[k] /= sum;
        return g;
    }
}
