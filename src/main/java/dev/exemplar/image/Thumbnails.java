package dev.exemplar.image;

import java.awt.image.BufferedImage;

/**
 * Exact area-averaging downscales: every output pixel is the mean of the source area it covers, counting source
 * pixels on its border by the fraction that lies inside. Weights are separable, so the source is read once.
 * <p>
 * Averaging happens on sRGB values, not linear light: it is fast, it is what common image tools do, and for a
 * similarity descriptor the small darkening at high-contrast edges does not matter.
 */
public final class Thumbnails {
    // D65 reference white for L*a*b*
    private static final double XN = 0.95047;
    private static final double YN = 1.0;
    private static final double ZN = 1.08883;
    private static final int LUT_STEPS = 4096;
    /** sRGB value (0..255) to linear light, sampled finely enough for interpolation to be exact to 1e-6. */
    private static final double[] LINEAR = new double[LUT_STEPS + 2];

    static {
        for (int i = 0; i < LINEAR.length; i++) {
            double c = Math.min(1.0, i / (double) LUT_STEPS);
            LINEAR[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
    }

    private Thumbnails() {
    }

    /** The whole image averaged down (or up) to {@code size x size} and converted to CIE L*a*b* (D65). */
    public static Thumbnail lab(BufferedImage image, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive");
        }
        float[] rgb = average(image, size, size);
        int n = size * size;
        float[] l = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double r = linear(rgb[3 * i]);
            double g = linear(rgb[3 * i + 1]);
            double bl = linear(rgb[3 * i + 2]);
            double fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * bl) / XN);
            double fy = f((0.2126729 * r + 0.7151522 * g + 0.0721750 * bl) / YN);
            double fz = f((0.0193339 * r + 0.1191920 * g + 0.9503041 * bl) / ZN);
            l[i] = (float) (116 * fy - 16);
            a[i] = (float) (500 * (fx - fy));
            b[i] = (float) (200 * (fy - fz));
        }
        return new Thumbnail(size, l, a, b);
    }

    /**
     * An area-averaged copy whose longer side is {@code maxSide}, keeping the aspect ratio. An image that is
     * already small enough is not enlarged: it comes back as TYPE_INT_RGB, possibly the same object.
     */
    public static BufferedImage rgb(BufferedImage image, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be positive");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int longSide = Math.max(w, h);
        if (longSide <= maxSide) {
            return Rgb.toIntRgb(image);
        }
        int tw = Math.max(1, (int) Math.round((double) w * maxSide / longSide));
        int th = Math.max(1, (int) Math.round((double) h * maxSide / longSide));
        float[] rgb = average(image, tw, th);
        int[] packed = new int[tw * th];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = byteOf(rgb[3 * i]) << 16 | byteOf(rgb[3 * i + 1]) << 8 | byteOf(rgb[3 * i + 2]);
        }
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, tw, th, packed);
        return out;
    }

    /** Interleaved r, g, b means (0..255) of the image resampled to {@code tw x th}. */
    static float[] average(BufferedImage image, int tw, int th) {
        BufferedImage src = Rgb.toIntRgb(image);
        int w = src.getWidth();
        int h = src.getHeight();
        Weights wx = new Weights(w, tw);
        Weights wy = new Weights(h, th);
        int[] row = new int[w];
        float[] line = new float[3 * tw];
        float[] out = new float[3 * tw * th];
        int k = 0;
        for (int y = 0; y < h; y++) {
            src.getRaster().getDataElements(0, y, w, 1, row);
            java.util.Arrays.fill(line, 0f);
            for (int c = 0; c < wx.src.length; c++) {
                int p = row[wx.src[c]];
                float wt = wx.weight[c];
                int d = 3 * wx.dst[c];
                line[d] += wt * (p >> 16 & 0xff);
                line[d + 1] += wt * (p >> 8 & 0xff);
                line[d + 2] += wt * (p & 0xff);
            }
            for (; k < wy.src.length && wy.src[k] == y; k++) {
                float wt = wy.weight[k];
                int base = 3 * tw * wy.dst[k];
                for (int i = 0; i < line.length; i++) {
                    out[base + i] += wt * line[i];
                }
            }
        }
        return out;
    }

    /**
     * Box-filter coverage along one axis: output cell j spans source coordinates [j*n/m, (j+1)*n/m); each source
     * pixel contributes the length of its overlap divided by the cell length. Entries are ordered by source pixel.
     */
    private static final class Weights {
        final int[] src;
        final int[] dst;
        final float[] weight;

        Weights(int n, int m) {
            int[] s = new int[n + m + 1];
            int[] d = new int[n + m + 1];
            float[] wt = new float[n + m + 1];
            int count = 0;
            double cell = (double) n / m;
            for (int j = 0; j < m; j++) {
                double lo = j * cell;
                double hi = j == m - 1 ? n : (j + 1) * cell;
                int last = Math.min(n - 1, (int) Math.ceil(hi) - 1);
                for (int x = (int) Math.floor(lo); x <= last; x++) {
                    double overlap = Math.min(hi, x + 1) - Math.max(lo, x);
                    if (overlap > 1e-9) {
                        s[count] = x;
                        d[count] = j;
                        wt[count] = (float) (overlap / (hi - lo));
                        count++;
                    }
                }
            }
            src = java.util.Arrays.copyOf(s, count);
            dst = java.util.Arrays.copyOf(d, count);
            weight = java.util.Arrays.copyOf(wt, count);
        }
    }

    private static double linear(float v) {
        double x = Math.max(0, Math.min(255, v)) * (LUT_STEPS / 255.0);
        int i = (int) x;
        double t = x - i;
        return LINEAR[i] + t * (LINEAR[i + 1] - LINEAR[i]);
    }

    private static double f(double t) {
        final double e = 216.0 / 24389.0; // (6/29)^3
        return t > e ? Math.cbrt(t) : (24389.0 / 27.0 * t + 16) / 116;
    }

    private static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
