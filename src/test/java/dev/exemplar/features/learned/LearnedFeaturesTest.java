package dev.exemplar.features.learned;

import dev.exemplar.image.ImageLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The learned features on the network the build fetched into target/network. Without it (no registry when the build
 * ran) these tests are skipped, except under {@code CI}, where they fail.
 */
class LearnedFeaturesTest {
    static final Path NETWORK = LearnedFeatures.defaultDirectory();
    static final Path ROOMS = Path.of("samples", "rooms", "images");

    @BeforeAll
    static void networkIsThere() {
        boolean there = Files.isRegularFile(NETWORK.resolve(LearnedFeatures.MODEL_FILE));
        String why = "no network in " + NETWORK + ": the build could not fetch nsfwjs-4.4.0.tgz from registry.npmjs.org";
        if (!there && System.getenv("CI") != null) fail(why);
        assumeTrue(there, why);
    }

    @Test
    void theWeightsDecodeToTheManifestsShapes() throws IOException {
        TfjsModel model = TfjsModel.read(NETWORK);
        assertThat(model.weights).hasSize(108);
        TfjsModel.Tensor first = model.weights.values().stream().filter(t -> t.shape().length == 4 && t.shape()[2] == 3)
                .findFirst().orElseThrow();
        // MobileNetV2 1.4: the first convolution has 48 filters of 3 x 3 x 3 (32 x 1.4, rounded to a multiple of 8)
        assertThat(first.shape()).containsExactly(3, 3, 3, 48);
        assertThat(first.values()).hasSize(3 * 3 * 3 * 48);
        assertThat(model.weights.values().stream().mapToLong(t -> t.values().length).sum()).isEqualTo(4_300_775);
    }

    @Test
    void poolsAsTensorFlowJsDoes() throws IOException {
        float[] rgb = new float[224 * 224 * 3];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) rgb[(y * 224 + x) * 3 + c] = ((x * 7 + y * 13 + c * 29 + ((x * y) >> 3)) % 256) / 255f;
            }
        }
        float[] pooled = new Network(TfjsModel.read(NETWORK)).pooled(rgb, 224, 224);
        // what @tensorflow/tfjs 4.22 (CPU backend) computes for this input at the feature_vector node
        assertThat(pooled).hasSize(1792);
        int[] at = {0, 3, 6, 7, 100, 500, 1000, 1791};
        double[] expected = {0.30720496, 0.14081684, 0.46963897, 0.28090665, 0.08743945, 0.00608268, 0.13472803, 0.43086052};
        for (int i = 0; i < at.length; i++) assertThat((double) pooled[at[i]]).as("value " + at[i]).isCloseTo(expected[i], within(1e-4));
        double norm = 0;
        for (float v : pooled) norm += v * v;
        assertThat(Math.sqrt(norm)).isCloseTo(20.28965, within(1e-3));
    }

    @Test
    void twoCropsOfOnePhotographAreCloserThanOtherPhotographs() throws IOException {
        LearnedFeatures net = LearnedFeatures.load(NETWORK);
        List<Path> photos;
        try (Stream<Path> s = Files.list(ROOMS)) {
            photos = s.sorted().limit(6).toList();
        }
        BufferedImage photo = ImageIO.read(photos.get(0).toFile());
        int w = photo.getWidth(), h = photo.getHeight();
        float[] left = net.of(photo.getSubimage(0, 0, w * 4 / 5, h * 4 / 5));
        float[] right = net.of(photo.getSubimage(w / 5, h / 5, w * 4 / 5, h * 4 / 5));
        assertThat(left).hasSize(1792);
        assertThat(dot(left, left)).isCloseTo(1, within(1e-4));
        double crops = dot(left, right);
        for (Path other : photos.subList(1, photos.size())) {
            float[] o = net.of(ImageIO.read(other.toFile()));
            assertThat(crops).as(other.getFileName().toString()).isGreaterThan(dot(left, o));
        }
    }

    @Test
    void anEncodedImageIsDecodedForTheNetwork() throws Exception {
        Path photo;
        try (Stream<Path> s = Files.list(ROOMS)) {
            photo = s.sorted().findFirst().orElseThrow();
        }
        LearnedFeatures net = LearnedFeatures.load(NETWORK);
        float[] fromBytes = net.of(Files.readAllBytes(photo), photo.toString(), ImageLoader.defaults());
        float[] fromPicture = net.of(ImageIO.read(photo.toFile()));
        // decoded at the network's size or whole and squeezed: the same picture to the network
        assertThat(dot(fromBytes, fromPicture)).isGreaterThan(0.95);
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path empty) {
        assertThatThrownBy(() -> LearnedFeatures.load(empty))
                .isInstanceOf(MissingWeights.class)
                .hasMessageContaining(empty.resolve("model.min.js").toString())
                .hasMessageContaining("mvn package");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
