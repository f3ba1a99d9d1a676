package dev.exemplar.image;

import static dev.exemplar.image.TestImages.encode;
import static dev.exemplar.image.TestImages.photoLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JPEGs decode the same through libjpeg-turbo, where it is installed, as through ImageIO, which decodes them
 * everywhere: the same pixels at full scale, thumbnails within what their reductions differ by, and the same errors
 * for the same bad files. Real photographs come from samples/rooms and, when it is beside the repository, rooms-dev.
 * Under CI libjpeg-turbo must be installed; elsewhere its tests are skipped without it.
 */
class JpegDecodersTest {
    /** What the engine decodes at for its descriptors (ImageFeatures.DECODED_SIDE, in a package that builds on this one). */
    private static final int DESCRIPTOR_SIDE = 128;
    private static final ImageLoader TURBO = ImageLoader.defaults();
    private static final ImageLoader IMAGE_IO = TURBO.withImageIoOnly();
    /** Never reducing: every picture whole. */
    private static final ImageLoader WHOLE = new ImageLoader(100_000_000L, Integer.MAX_VALUE);

    private static List<Path> photographs;

    @BeforeAll
    static void findPhotographs() throws IOException {
        photographs = new ArrayList<>(jpegsIn(Path.of("samples", "rooms", "images"), 36));
        photographs.addAll(jpegsIn(Path.of("..", "shared", "datasets", "rooms-dev", "images"), 60));
        assertThat(photographs).hasSizeGreaterThanOrEqualTo(36);
    }

    private static void assumeLibjpegTurbo() {
        boolean installed = TURBO.jpegDecoder().equals("libjpeg-turbo");
        if (System.getenv("CI") != null) {
            assertThat(installed).as("CI installs libjpeg-turbo's Java binding (libturbojpeg-java) at "
                    + TurboJpeg.DEBIAN_JAR).isTrue();
        }
        assumeTrue(installed, "libjpeg-turbo's Java binding is not installed");
    }

    @Test
    void debiansBindingIsFoundWhereItIsInstalled() {
        assumeLibjpegTurbo();

        assertThat(TurboJpeg.installed()).isPresent();
        assertThat(IMAGE_IO.jpegDecoder()).isEqualTo("ImageIO");
    }

    @Test
    void aMissingBindingLeavesImageIo() {
        assertThat(TurboJpeg.at(Path.of("no", "such", "turbojpeg.jar"))).isEmpty();
    }

    @Test
    void atFullScaleBothGiveTheSamePixels() throws Exception {
        assumeLibjpegTurbo();
        for (Path p : photographs) {
            byte[] jpeg = Files.readAllBytes(p);

            // the same libjpeg algorithms: accurate inverse DCT, smooth chroma upsampling
            assertSamePixels(WHOLE.load(jpeg, p.toString()), WHOLE.withImageIoOnly().load(jpeg, p.toString()), p.toString());
        }
    }

    @Test
    void reducedForTheDescriptorsBothGiveNearlyTheThumbnailOfTheWholePicture() throws Exception {
        assumeLibjpegTurbo();
        for (Path p : photographs) {
            byte[] jpeg = Files.readAllBytes(p);
            Decoded scaled = TURBO.decode(jpeg, p.toString(), DESCRIPTOR_SIDE);
            Decoded sampled = IMAGE_IO.decode(jpeg, p.toString(), DESCRIPTOR_SIDE);
            Thumbnail whole = Thumbnails.lab(WHOLE.load(jpeg, p.toString()), 64);

            assertThat(Math.min(scaled.image().getWidth(), scaled.image().getHeight())).isGreaterThanOrEqualTo(DESCRIPTOR_SIDE);
            assertThat(new int[] {scaled.width(), scaled.height()}).isEqualTo(new int[] {sampled.width(), sampled.height()});
            // libjpeg-turbo averages in its inverse DCT; ImageIO keeps every n-th pixel, which aliases fine detail
            double scaledOff = meanLightnessDifference(Thumbnails.lab(scaled, 64), whole);
            double sampledOff = meanLightnessDifference(Thumbnails.lab(sampled, 64), whole);
            assertThat(scaledOff).as(p + ": mean L* difference, DCT-scaled").isLessThan(0.75);
            assertThat(sampledOff).as(p + ": mean L* difference, subsampled").isLessThan(2.5);
            assertThat(scaledOff).as(p + ": DCT scaling is the closer").isLessThanOrEqualTo(sampledOff + 0.01);
        }
    }

    @Test
    void aReducedPictureKnowsTheWholeImagesSize() throws Exception {
        byte[] jpeg = encode(photoLike(1000, 600, 3), "jpeg");
        for (ImageLoader loader : loaders()) {
            Decoded d = loader.decode(jpeg, "big.jpg", DESCRIPTOR_SIDE);

            assertThat(d.image().getHeight()).as(loader.jpegDecoder()).isBetween(DESCRIPTOR_SIDE, 2 * DESCRIPTOR_SIDE);
            assertThat(d.width()).isEqualTo(1000);
            assertThat(d.height()).isEqualTo(600);
            assertThat(d.whole()).isFalse();
            assertThat(d.aspect()).isEqualTo(1000 / 600.0);
        }
    }

    @Test
    void exifOrientationTurnsAReducedPictureAndItsSize() throws Exception {
        byte[] jpeg = TestImages.insertAfterSoi(encode(photoLike(640, 480, 5), "jpeg"), TestImages.exifSegment(6));
        for (ImageLoader loader : loaders()) {
            Decoded d = loader.decode(jpeg, "turned.jpg", DESCRIPTOR_SIDE);

            assertThat(d.image().getHeight()).as(loader.jpegDecoder()).isGreaterThan(d.image().getWidth());
            assertThat(new int[] {d.width(), d.height()}).isEqualTo(new int[] {480, 640});
        }
    }

    @Test
    void aTruncatedPhotographIsRefusedInTheSameWords() throws Exception {
        byte[] jpeg = Files.readAllBytes(photographs.get(0));
        for (double kept : new double[] {0.3, 0.6, 0.95}) {
            String message = sameRefusal(TestImages.truncate(jpeg, kept));

            assertThat(message).startsWith("image data truncated: ");
        }
    }

    @Test
    void aJpegCutInsideItsHeaderIsRefusedInTheSameWords() throws Exception {
        byte[] jpeg = Files.readAllBytes(photographs.get(0));

        assertThat(sameRefusal(Arrays.copyOf(jpeg, 300))).startsWith("image data truncated: file ends inside the JPEG header");
    }

    @Test
    void aJpegDeclaringTooManyPixelsIsRefusedFromItsHeaderInTheSameWords() {
        byte[] jpeg = encode(photoLike(64, 48, 2), "jpeg");
        int sof = indexOfMarker(jpeg, 0xC0);
        jpeg[sof + 5] = 0x4E; // height 20,000
        jpeg[sof + 6] = 0x20;
        jpeg[sof + 7] = 0x4E; // width 20,000
        jpeg[sof + 8] = 0x20;

        assertThat(sameRefusal(jpeg)).isEqualTo("image declares 20000 x 20000 pixels (400000000), above the limit of 100000000");
    }

    @Test
    void randomlyDamagedJpegsGetTheSameVerdict() throws Exception {
        assumeLibjpegTurbo();
        Random random = new Random(17);
        byte[] original = Files.readAllBytes(photographs.get(1));
        for (int variant = 0; variant < 60; variant++) {
            byte[] damaged = original.clone();
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                int at = 200 + random.nextInt(damaged.length - 200);
                damaged[at] = (byte) random.nextInt(256);
            }
            BufferedImage a = null, b = null;
            String refusedA = null, refusedB = null;
            try {
                a = TURBO.load(damaged, "damaged.jpg");
            } catch (ImageError e) {
                refusedA = e.getMessage();
            }
            try {
                b = IMAGE_IO.load(damaged, "damaged.jpg");
            } catch (ImageError e) {
                refusedB = e.getMessage();
            }

            assertThat(refusedA).as("variant " + variant).isEqualTo(refusedB);
            if (a != null && b != null) {
                assertThat(pixels(a)).as("variant " + variant).isEqualTo(pixels(b));
            }
        }
    }

    @Test
    void aProfileOtherThanSrgbHasItsColoursConverted() throws Exception {
        byte[] plain = Files.readAllBytes(photographs.get(2));
        byte[] linear = withProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
        byte[] srgb = withProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());

        assertThat(pixels(TURBO.load(linear, "linear.jpg"))).isEqualTo(pixels(IMAGE_IO.load(linear, "linear.jpg")))
                .isNotEqualTo(pixels(IMAGE_IO.load(plain, "plain.jpg")));
        assertThat(pixels(TURBO.load(srgb, "srgb.jpg"))).isEqualTo(pixels(IMAGE_IO.load(plain, "plain.jpg")));
    }

    @Test
    void anAdobeCmykJpegIsLeftToImageIo() throws Exception {
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 24, 16, 4, null);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) cmyk.setPixel(x, y, new int[] {255, 0, 0, 255});
        byte[] jpeg = TestImages.adobeCmykJpeg(cmyk);

        assertThat(pixels(TURBO.load(jpeg, "cmyk.jpg"))).isEqualTo(pixels(IMAGE_IO.load(jpeg, "cmyk.jpg")));
    }

    private static String sameRefusal(byte[] jpeg) {
        ImageError a = catchThrowableOfType(() -> TURBO.load(jpeg, "bad.jpg"), ImageError.class);
        ImageError b = catchThrowableOfType(() -> IMAGE_IO.load(jpeg, "bad.jpg"), ImageError.class);
        assertThat(a).as("refused through " + TURBO.jpegDecoder()).isNotNull();
        assertThat(b).as("refused through ImageIO").isNotNull();
        assertThat(a.getMessage()).isEqualTo(b.getMessage());
        return a.getMessage();
    }

    private static List<ImageLoader> loaders() {
        return List.of(TURBO, IMAGE_IO);
    }

    private static List<Path> jpegsIn(Path folder, int most) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(most).toList();
        }
    }

    private static void assertSamePixels(BufferedImage a, BufferedImage b, String what) {
        assertThat(new int[] {a.getWidth(), a.getHeight()}).as(what).isEqualTo(new int[] {b.getWidth(), b.getHeight()});
        int[] pa = pixels(a), pb = pixels(b);
        int differing = 0;
        for (int i = 0; i < pa.length; i++) if (pa[i] != pb[i]) differing++;
        assertThat(differing).as(what + ": pixels that differ").isZero();
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static double meanLightnessDifference(Thumbnail a, Thumbnail b) {
        double sum = 0;
        for (int i = 0; i < a.l().length; i++) sum += Math.abs(a.l()[i] - b.l()[i]);
        return sum / a.l().length;
    }

    /** The profile in one APP2 segment right after SOI. */
    private static byte[] withProfile(byte[] jpeg, byte[] profile) {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        byte[] signature = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + signature.length + 2 + profile.length;
        segment.write(0xFF);
        segment.write(0xE2);
        segment.write(length >> 8);
        segment.write(length & 0xFF);
        segment.writeBytes(signature);
        segment.write(1); // chunk 1 of 1
        segment.write(1);
        segment.writeBytes(profile);
        return TestImages.insertAfterSoi(jpeg, segment.toByteArray());
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 2; i < jpeg.length - 1; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) return i;
        }
        throw new AssertionError("marker not found");
    }
}
