package dev.exemplar.features;

import boofcv.concurrency.BoofConcurrency;
import dev.exemplar.image.Decoded;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnails;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An image's features: the global ones from a picture decoded small, which is all the descriptor path computes, and
 * for a photograph keypoints from the picture decoded as before.
 */
class ImageFeaturesTest {
    private static final ImageLoader LOADER = ImageLoader.defaults();
    private final Path photo = Path.of("samples", "rooms", "images", "0bfba19caab2.jpg"); // 506 x 379

    @Test
    void theGlobalFeaturesComeFromThePictureDecodedAtTheDescriptorsSide() throws Exception {
        byte[] bytes = Files.readAllBytes(photo);
        Decoded small = LOADER.decode(bytes, "photo.jpg", ImageFeatures.DECODED_SIDE);

        ImageFeatures global = ImageFeatures.global(Thumbnails.lab(small, ImageFeatures.THUMBNAIL), small.aspect());
        ImageFeatures all = ImageFeatures.of(bytes, "photo.jpg", LOADER);

        assertThat(small.whole()).as("decoded at a reduced scale").isFalse();
        assertThat(all.descriptor()).containsExactly(global.descriptor());
        assertThat(all.thumbnail().l()).containsExactly(global.thumbnail().l());
        assertThat(all.texture()).isEqualTo(global.texture());
        assertThat(all.aspect()).isEqualTo(506 / 379.0);
        assertThat(global.keypoints()).as("the descriptor path computes no keypoints").isNull();
    }

    @Test
    void aPhotographsKeypointsComeFromTheWholePicture() throws Exception {
        byte[] bytes = Files.readAllBytes(photo);
        ImageFeatures all = ImageFeatures.of(bytes, "photo.jpg", LOADER);

        ImageFeatures fromWhole = all.withKeypoints(LOADER.load(bytes, "photo.jpg"));

        // decoded small by the codec rather than averaged down from the whole: the same points to within rounding
        int n = all.keypoints().count();
        assertThat(n).isPositive();
        assertThat(fromWhole.keypoints().count()).isBetween(n * 9 / 10, n * 11 / 10);
        assertThat(LocalFeatures.verifiedMatches(all.keypoints(), fromWhole.keypoints())).isGreaterThanOrEqualTo(n * 8 / 10);
        assertThat(LocalFeatures.verifiedMatches(all.mirroredKeypoints(), fromWhole.mirroredKeypoints())).isGreaterThanOrEqualTo(n * 8 / 10);
    }

    @Test
    void anImageWithAShortSideUnder160PixelsHasNoKeypoints() throws Exception {
        BufferedImage icon = new BufferedImage(300, 150, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(icon, "png", png);

        assertThat(ImageFeatures.of(png.toByteArray(), "icon.png", LOADER).keypoints()).isNull();
    }

    @Test
    void keypointsAreFoundOnTheCallersThreadWithoutAPoolOfBoofCvsOwn() throws Exception {
        ImageFeatures.of(Files.readAllBytes(photo), "photo.jpg", LOADER);

        assertThat(BoofConcurrency.USE_CONCURRENT).isFalse();
    }
}
