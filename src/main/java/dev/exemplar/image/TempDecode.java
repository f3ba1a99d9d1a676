package dev.exemplar.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** Temporary: replaced by ImageLoader/Thumbnails. */
public final class TempDecode {
    public static BufferedImage read(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) throw new ImageError("not an image");
        return img;
    }

    public static float[] grey(BufferedImage img, int side, int[] wh) {
        double f = Math.min(1.0, (double) side / Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * f)), h = Math.max(1, (int) Math.round(img.getHeight() * f));
        BufferedImage s = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = s.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int rgb = s.getRGB(x, y);
            out[y * w + x] = 0.299f * ((rgb >> 16) & 255) + 0.587f * ((rgb >> 8) & 255) + 0.114f * (rgb & 255);
        }
        wh[0] = w; wh[1] = h;
        return out;
    }

    public static Thumbnail thumbnail(BufferedImage img, int size) throws Exception {
        int w = img.getWidth(), h = img.getHeight();
        double[] r = new double[size * size], g = new double[size * size], b = new double[size * size], c = new double[size * size];
        for (int y = 0; y < h; y++) {
            int ty = (int) ((long) y * size / h);
            for (int x = 0; x < w; x++) {
                int tx = (int) ((long) x * size / w);
                int rgb = img.getRGB(x, y);
                int i = ty * size + tx;
                r[i] += (rgb >> 16) & 255; g[i] += (rgb >> 8) & 255; b[i] += rgb & 255; c[i]++;
            }
        }
        float[] L = new float[size * size], A = new float[size * size], B = new float[size * size];
        for (int i = 0; i < size * size; i++) {
            if (c[i] == 0) { // upsampling: take nearest source pixel
                int ty = i / size, tx = i % size;
                int rgb = img.getRGB((int) ((tx + 0.5) * w / size), (int) ((ty + 0.5) * h / size));
                r[i] = (rgb >> 16) & 255; g[i] = (rgb >> 8) & 255; b[i] = rgb & 255; c[i] = 1;
            }
            float[] lab = lab(r[i] / c[i] / 255, g[i] / c[i] / 255, b[i] / c[i] / 255);
            L[i] = lab[0]; A[i] = lab[1]; B[i] = lab[2];
        }
        return new Thumbnail(size, L, A, B);
    }

    static double lin(double v) { return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    static double f(double t) { return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116; }

    static float[] lab(double r, double g, double b) {
        r = lin(r); g = lin(g); b = lin(b);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new float[] {(float) (116 * fy - 16), (float) (500 * (fx - fy)), (float) (200 * (fy - fz))};
    }
}
