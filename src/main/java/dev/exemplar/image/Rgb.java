package dev.exemplar.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/** Conversion of any decoded image to opaque TYPE_INT_RGB, with transparency composited on white. */
final class Rgb {
    private Rgb() {
    }

    static BufferedImage toIntRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        ColorModel cm = src.getColorModel();
        boolean component = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied();
        if (component && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Java treats its grey colour space as linear and would brighten mid-tones on conversion;
            // grey files (PNG, JPEG) hold display values, so the samples are copied as they are.
            copyComponents(src.getRaster(), cm, 1, row, out);
        } else if (component && cm.getColorSpace().isCS_sRGB()) {
            // the common decoder outputs (3-byte BGR, 16-bit RGB): reading samples is much faster than getRGB
            copyComponents(src.getRaster(), cm, 3, row, out);
        } else {
            boolean alpha = cm.getTransparency() != Transparency.OPAQUE;
            for (int y = 0; y < h; y++) {
                src.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    row[x] = alpha ? overWhite(row[x]) : row[x] & 0xffffff;
                }
                out.getRaster().setDataElements(0, y, w, 1, row);
            }
        }
        return out;
    }

    /** Copies 1 grey or 3 colour bands, plus an optional alpha band, scaling samples of any depth to 8 bits. */
    private static void copyComponents(Raster raster, ColorModel cm, int colours, int[] row, BufferedImage out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        boolean alpha = cm.hasAlpha() && bands > colours;
        double[] scale = new double[bands];
        for (int i = 0; i < bands; i++) {
            scale[i] = 255.0 / ((1L << cm.getComponentSize(i)) - 1);
        }
        int[] s = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, s);
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                int r = (int) (s[i] * scale[0] + 0.5);
                int g = colours == 1 ? r : (int) (s[i + 1] * scale[1] + 0.5);
                int b = colours == 1 ? r : (int) (s[i + 2] * scale[2] + 0.5);
                int rgb = r << 16 | g << 8 | b;
                if (alpha) {
                    int a = (int) (s[i + colours] * scale[colours] + 0.5);
                    rgb = overWhite(a << 24 | rgb);
                }
                row[x] = rgb;
            }
            out.getRaster().setDataElements(0, y, w, 1, row);
        }
    }

    /** The pixels of a TYPE_INT_RGB picture where they are stored: row y starts at {@code start(y)} in data. */
    record Rows(int[] data, int offset, int stride) {
        int start(int y) {
            return offset + y * stride;
        }
    }

    /** Row access to a TYPE_INT_RGB picture (a sub-image too) without copying its pixels. */
    static Rows rows(BufferedImage intRgb) {
        WritableRaster raster = intRgb.getRaster();
        SinglePixelPackedSampleModel model = (SinglePixelPackedSampleModel) raster.getSampleModel();
        DataBufferInt buffer = (DataBufferInt) raster.getDataBuffer();
        int origin = model.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY());
        return new Rows(buffer.getData(), buffer.getOffset() + origin, model.getScanlineStride());
    }

    /** Composites a non-premultiplied ARGB value on white. */
    static int overWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xffffff;
        }
        int inv = 255 - a;
        int r = ((argb >> 16 & 0xff) * a + 255 * inv + 127) / 255;
        int g = ((argb >> 8 & 0xff) * a + 255 * inv + 127) / 255;
        int b = ((argb & 0xff) * a + 255 * inv + 127) / 255;
        return r << 16 | g << 8 | b;
    }
}
