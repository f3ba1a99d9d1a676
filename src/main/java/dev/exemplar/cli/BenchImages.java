package dev.exemplar.cli;

import dev.exemplar.features.Wavelet;
import dev.exemplar.features.WaveletFeatures;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.summary.Item;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The coefficient matrix a benchmark runs on: 32 x 32 x 3 wavelet coefficients (L*a*b*, Haar, two
 * levels: {@link WaveletFeatures#coefficients}) of up to n images. When there are fewer readable
 * images than n, variants of them make up the rest, in this order: mirrored left to right, the
 * central 80% crop, and that crop mirrored; so at most 4 rows come from one image.
 */
final class BenchImages {
    private static final int SIDE = WaveletFeatures.SIDE;
    private static final int VARIANTS = 4;

    record Set(float[][] rows, int read, int variants) { }

    private BenchImages() { }

    static Set coefficients(List<Item> items, int n) {
        ImageLoader loader = new ImageLoader(100_000_000L, 2 * SIDE);
        List<Item> first = items.subList(0, Math.min(items.size(), n));
        BufferedImage[] images = new BufferedImage[first.size()];
        float[][] own = new float[first.size()][];
        IntStream.range(0, first.size()).parallel().forEach(i -> {
            try {
                images[i] = loader.load(first.get(i).reader().read(), first.get(i).name());
                own[i] = coefficients(Thumbnails.lab(images[i], SIDE));
            } catch (Exception e) {
                // an unreadable file is left out; the count of read images says how many were used
            }
        });
        List<float[]> rows = new ArrayList<>();
        List<BufferedImage> readable = new ArrayList<>();
        for (int i = 0; i < own.length; i++) {
            if (own[i] != null) {
                rows.add(own[i]);
                readable.add(images[i]);
            }
        }
        int read = rows.size();
        for (int variant = 1; variant < VARIANTS && rows.size() < n && read > 0; variant++) {
            int count = Math.min(read, n - rows.size());
            int v = variant;
            float[][] more = new float[count][];
            IntStream.range(0, count).parallel().forEach(i -> more[i] = coefficients(variant(readable.get(i), v)));
            rows.addAll(List.of(more));
        }
        return new Set(rows.toArray(float[][]::new), read, rows.size() - read);
    }

    /** Variant 1: mirrored; 2: central 80% crop; 3: the crop mirrored. */
    private static Thumbnail variant(BufferedImage image, int variant) {
        BufferedImage source = image;
        if (variant >= 2) {
            int w = image.getWidth(), h = image.getHeight();
            int cw = Math.max(1, w * 4 / 5), ch = Math.max(1, h * 4 / 5);
            source = image.getSubimage((w - cw) / 2, (h - ch) / 2, cw, ch);
        }
        Thumbnail t = Thumbnails.lab(source, SIDE);
        return variant == 2 ? t : mirrored(t);
    }

    private static Thumbnail mirrored(Thumbnail t) {
        int s = t.size();
        return new Thumbnail(s, mirror(t.l(), s), mirror(t.a(), s), mirror(t.b(), s));
    }

    private static float[] mirror(float[] plane, int s) {
        float[] out = new float[plane.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) out[y * s + x] = plane[y * s + s - 1 - x];
        }
        return out;
    }

    private static float[] coefficients(Thumbnail t) {
        return WaveletFeatures.coefficients(Objects.requireNonNull(t), Wavelet.Family.HAAR);
    }
}
