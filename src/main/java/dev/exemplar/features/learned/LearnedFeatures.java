package dev.exemplar.features.learned;

import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The learned features of an image: the global average pool of the last feature map of a MobileNetV2 1.4 network
 * (1,792 values, L2-normalised), with ImageNet-initialised weights as the npm package nsfwjs 4.4.0 (MIT licence, see
 * THIRD-PARTY.md) ships them, fine-tuned there for a content classifier whose head is not used. Nothing is downloaded
 * at run time: the build fetches the package and keeps the network's files in {@code target/network}.
 */
public final class LearnedFeatures {
    /** The graph and weights manifest in a network's directory. */
    static final String MODEL_FILE = "model.min.js";
    /** The square the network sees each image squeezed into, as nsfwjs gives it. */
    static final int SIDE = 224;
    /** Where the build puts the network, relative to the directory that holds the jar (or the compiled classes). */
    static final String BESIDE_CODE = "network/mobilenet_v2_mid";

    private static final Map<Path, LearnedFeatures> LOADED = new ConcurrentHashMap<>();
    private final Network network;

    private LearnedFeatures(Network network) {
        this.network = network;
    }

    /**
     * The network the build fetched: {@value #BESIDE_CODE} beside the jar (or the classes) this runs from, unless the
     * system property {@code exemplar.network.dir} names another directory.
     */
    public static Path defaultDirectory() {
        String set = System.getProperty("exemplar.network.dir");
        if (set != null && !set.isBlank()) return Path.of(set);
        try {
            Path code = Path.of(LearnedFeatures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve(BESIDE_CODE);
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", BESIDE_CODE);
        }
    }

    /** The network in dir, read once per directory (about a second) and shared. */
    public static LearnedFeatures load(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        LearnedFeatures f = LOADED.get(key);
        if (f != null) return f;
        f = new LearnedFeatures(new Network(TfjsModel.read(key)));
        LOADED.putIfAbsent(key, f);
        return f;
    }

    /** The learned features of an encoded image, decoded small enough for the network's square. */
    public float[] of(byte[] bytes, String name, ImageLoader loader) throws ImageError {
        return loader.lend(bytes, name, SIDE, d -> of(d.image()));
    }

    /** The learned features of a picture. */
    public float[] of(BufferedImage picture) {
        float[] v = network.pooled(input(picture), SIDE, SIDE);
        double s = 0;
        for (float x : v) s += x * x;
        float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0;
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }

    /**
     * The picture squeezed into the network's square with red, green and blue in [0, 1]: bilinear with corners
     * aligned, as nsfwjs resizes (tf.image.resizeBilinear, alignCorners); the network scales to [-1, 1] itself.
     */
    static float[] input(BufferedImage picture) {
        int w = picture.getWidth(), h = picture.getHeight();
        int[] argb = picture.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[SIDE * SIDE * 3];
        for (int y = 0; y < SIDE; y++) {
            double sy = h == 1 ? 0 : (double) y * (h - 1) / (SIDE - 1);
            int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < SIDE; x++) {
                double sx = w == 1 ? 0 : (double) x * (w - 1) / (SIDE - 1);
                int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                int p00 = argb[y0 * w + x0], p01 = argb[y0 * w + x1], p10 = argb[y1 * w + x0], p11 = argb[y1 * w + x1];
                for (int c = 0, shift = 16; c < 3; c++, shift -= 8) {
                    double top = ((p00 >> shift) & 255) * (1 - fx) + ((p01 >> shift) & 255) * fx;
                    double bottom = ((p10 >> shift) & 255) * (1 - fx) + ((p11 >> shift) & 255) * fx;
                    out[(y * SIDE + x) * 3 + c] = (float) ((top * (1 - fy) + bottom * fy) / 255);
                }
            }
        }
        return out;
    }

    /** The text of a file the network needs, or {@link MissingWeights} naming it. */
    static String readRequired(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new MissingWeights(file);
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
