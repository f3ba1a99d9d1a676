package dev.exemplar.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Exact area-averaging downscales: every output pixel is the mean of the source area it covers, counting source
 * pixels on its border by the fraction that lies inside. The filter is separable and each source row is read once.
 * <p>
 * Averaging happens on sRGB values, not linear light: it is fast, it is what common image tools do, and for a
 * similarity descriptor the small darkening at high-contrast edges does not matter.
 */
public final class Thumbnails {
    // D65 reference white for L*a*b*
    private static final double XN = 0.95047;
    private static final double YN = 1.0;
    private static final double ZN = 1.08883;
    // linear sRGB to CIE XYZ, each row over the white's value: divisions per pixel were a tenth of the conversion
    private static final double XR = 0.4124564 / XN, XG = 0.3575761 / XN, XB = 0.1804375 / XN;
    private static final double YR = 0.2126729 / YN, YG = 0.7151522 / YN, YB = 0.0721750 / YN;
    private static final double ZR = 0.0193339 / ZN, ZG = 0.1191920 / ZN, ZB = 0.9503041 / ZN;
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
        return lab(image, image.getWidth(), image.getHeight(), size);
    }

    /**
     * As {@link #lab(BufferedImage, int)} for a picture decoded at a reduced scale, whose last row and column stand
     * for only part of a pixel of the image: averaged as that part, so the thumbnail lines up with the whole image's.
     */
    public static Thumbnail lab(Decoded d, int size) {
        BufferedImage image = d.image();
        double w = Math.min(image.getWidth(), d.width() * d.scale());
        double h = Math.min(image.getHeight(), d.height() * d.scale());
        return lab(image, w, h, size);
    }

    private static Thumbnail lab(BufferedImage image, double width, double height, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive");
        }
        return toLab(average(image, width, height, size, size), size);
    }

    /** Interleaved r, g, b means (0..255) of a {@code size x size} picture in CIE L*a*b* (D65). */
    static Thumbnail toLab(float[] rgb, int size) {
        int n = size * size;
        float[] l = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double r = linear(rgb[3 * i]);
            double g = linear(rgb[3 * i + 1]);
            double bl = linear(rgb[3 * i + 2]);
            double fx = f(XR * r + XG * g + XB * bl);
            double fy = f(YR * r + YG * g + YB * bl);
            double fz = f(ZR * r + ZG * g + ZB * bl);
            l[i] = (float) (116 * fy - 16);
            a[i] = (float) (500 * (fx - fy));
            b[i] = (float) (200 * (fy - fz));
        }
        return new Thumbnail(size, l, a, b);
    }

    /**
     * A Lab thumbnail back in sRGB, stretched to the picture's aspect ratio (width / height) with
     * its longer side {@code maxSide}: a preview made from what is kept, without the original.
     */
    public static BufferedImage preview(Thumbnail t, double aspect, int maxSide) {
        BufferedImage square = new BufferedImage(t.size(), t.size(), BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < t.size() * t.size(); i++) {
            double fy = (t.l()[i] + 16) / 116.0, fx = fy + t.a()[i] / 500.0, fz = fy - t.b()[i] / 200.0;
            double x = XN * inverseF(fx), y = YN * inverseF(fy), z = ZN * inverseF(fz);
            int r = gamma(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
            int g = gamma(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z);
            int b = gamma(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
            square.setRGB(i % t.size(), i / t.size(), (r << 16) | (g << 8) | b);
        }
        double ratio = aspect > 0 && Double.isFinite(aspect) ? aspect : 1;
        int w = ratio >= 1 ? maxSide : Math.max(1, (int) Math.round(maxSide * ratio));
        int h = ratio >= 1 ? Math.max(1, (int) Math.round(maxSide / ratio)) : maxSide;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(square, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static double inverseF(double t) {
        return t > 6.0 / 29 ? t * t * t : 3 * (6.0 / 29) * (6.0 / 29) * (t - 4.0 / 29);
    }

    private static int gamma(double linear) {
        double c = Math.max(0, Math.min(1, linear));
        double v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
        return (int) Math.round(v * 255);
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
        return average(image, image.getWidth(), image.getHeight(), tw, th);
    }

    /**
     * As {@link #average(BufferedImage, int, int)} over the part {@code [0, width) x [0, height)} of the image, in
     * pixels: beyond {@code width - 1} the last column counts by the fraction of it inside, as does the last row.
     */
    static float[] average(BufferedImage image, double width, double height, int tw, int th) {
        BufferedImage src = Rgb.toIntRgb(image);
        Cells cx = new Cells(src.getWidth(), width, tw);
        Cells cy = new Cells(src.getHeight(), height, th);
        Rgb.Rows rows = Rgb.rows(src); // the pixels where they are: no copy of a row
        float[] line = new float[3 * tw];
        float[] out = new float[3 * tw * th];
        int lineY = -1;
        for (int i = 0; i < th; i++) {
            int base = 3 * tw * i;
            for (int y = cy.first[i]; y <= cy.last[i]; y++) {
                if (y != lineY) { // a row on the border of two cells is reduced once, for both
                    reduceRow(rows.data(), rows.start(y), cx, line);
                    lineY = y;
                }
                float wt = (float) (cy.coverage(i, y) / cy.length);
                for (int k = 0; k < line.length; k++) {
                    out[base + k] += wt * line[k];
                }
            }
        }
        return out;
    }

    /** Horizontal pass: whole pixels inside a cell are summed as integers, the two border pixels by coverage. */
    private static void reduceRow(int[] row, int start, Cells cx, float[] line) {
        float norm = (float) (1 / cx.length);
        for (int j = 0, d = 0; j < cx.first.length; j++, d += 3) {
            int x0 = start + cx.first[j];
            int x1 = start + cx.last[j];
            float c0 = (float) cx.firstCover[j];
            int p0 = row[x0];
            float r = c0 * (p0 >> 16 & 0xff);
            float g = c0 * (p0 >> 8 & 0xff);
            float b = c0 * (p0 & 0xff);
            if (x1 > x0) {
                int ri = 0;
                int gi = 0;
                int bi = 0;
                for (int x = x0 + 1; x < x1; x++) {
                    int p = row[x];
                    ri += p >> 16 & 0xff;
                    gi += p >> 8 & 0xff;
                    bi += p & 0xff;
                }
                float c1 = (float) cx.lastCover[j];
                int p1 = row[x1];
                r += ri + c1 * (p1 >> 16 & 0xff);
                g += gi + c1 * (p1 >> 8 & 0xff);
                b += bi + c1 * (p1 & 0xff);
            }
            line[d] = r * norm;
            line[d + 1] = g * norm;
            line[d + 2] = b * norm;
        }
    }

    /**
     * Box-filter cells along one axis of n pixels, of which the extent [0, e) counts: output cell j spans source
     * coordinates [j*e/m, (j+1)*e/m), from pixel {@code first} to pixel {@code last}; the border pixels count by the
     * length of them inside the cell.
     */
    private static final class Cells {
        final double length;
        final int[] first;
        final int[] last;
        final double[] firstCover;
        final double[] lastCover;

        Cells(int n, double e, int m) {
            length = e / m;
            first = new int[m];
            last = new int[m];
            firstCover = new double[m];
            lastCover = new double[m];
            for (int j = 0; j < m; j++) {
                double lo = j * length;
                double hi = j == m - 1 ? e : (j + 1) * length;
                first[j] = Math.min(n - 1, (int) Math.floor(lo));
                last[j] = Math.max(first[j], Math.min(n - 1, (int) Math.ceil(hi) - 1));
                firstCover[j] = Math.min(hi, first[j] + 1) - Math.max(lo, first[j]);
                lastCover[j] = Math.min(hi, last[j] + 1) - Math.max(lo, last[j]);
            }
        }

        /** How much of source pixel x lies inside cell j. */
        double coverage(int j, int x) {
            return x == first[j] ? firstCover[j] : x == last[j] ? lastCover[j] : 1;
        }
    }

    private static double linear(float v) {
        double x = (v <= 0 ? 0 : v >= 255 ? 255 : v) * (LUT_STEPS / 255.0);
        int i = (int) x;
        double t = x - i;
        return LINEAR[i] + t * (LINEAR[i + 1] - LINEAR[i]);
    }

    private static double f(double t) {
        // XYZ over the white lies in [0, 1]: interpolated from a table there (to 3e-7), three roots per pixel saved
        if (t >= 0 && t < 1) {
            double x = t * F_STEPS;
            int i = (int) x;
            return F[i] + (x - i) * (F[i + 1] - F[i]);
        }
        return exactF(t);
    }

    private static double exactF(double t) {
        final double e = 216.0 / 24389.0; // (6/29)^3
        return t > e ? cbrt(t) : (24389.0 / 27.0 * t + 16) / 116;
    }

    private static final int F_STEPS = 1 << 14;
    private static final double[] F = new double[F_STEPS + 1];

    static {
        for (int i = 0; i <= F_STEPS; i++) F[i] = exactF(i / (double) F_STEPS);
    }

    /**
     * The cube root of a positive normal number to 1e-14 relative, about three times faster than Math.cbrt, which
     * Java 17 computes in a native call: three per thumbnail pixel made it a fifth of the conversion.
     */
    static double cbrt(double t) {
        // the exponent divided by 3 is within 4% of the root; each Halley step cubes the relative error
        double x = Double.longBitsToDouble(Double.doubleToRawLongBits(t) / 3 + 0x2A9F7893782DA1CEL);
        double x3 = x * x * x;
        x *= (x3 + 2 * t) / (2 * x3 + t);
        x3 = x * x * x;
        return x * (x3 + 2 * t) / (2 * x3 + t);
    }

    private static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
