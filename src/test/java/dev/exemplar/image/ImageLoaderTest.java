package dev.exemplar.image;

import static dev.exemplar.image.TestImages.encode;
import static dev.exemplar.image.TestImages.solid;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
    private static final int RED = 0xFF0000;
    private final ImageLoader loader = ImageLoader.defaults();

    @Nested
    class DecodesEachFormatToRgb {
        @Test
        void jpeg() throws Exception {
            BufferedImage image = loader.load(encode(solid(64, 48, RED), "jpeg"), "red.jpg");

            assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(image.getWidth()).isEqualTo(64);
            assertThat(image.getHeight()).isEqualTo(48);
            assertColour(image, 32, 24, RED, 8);
        }

        @Test
        void greyJpegKeepsItsDisplayValues() throws Exception {
            BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            fillSamples(grey.getRaster(), 128);

            BufferedImage image = loader.load(encode(grey, "jpeg"), "grey.jpg");

            assertColour(image, 16, 16, 0x808080, 2);
        }

        @Test
        void sixteenBitGreyPng() throws Exception {
            BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_USHORT_GRAY);
            fillSamples(grey.getRaster(), 0x8080); // 128 in 8 bits

            BufferedImage image = loader.load(encode(grey, "png"), "grey16.png");

            assertColour(image, 5, 5, 0x808080, 0);
        }

        @Test
        void palettePng() throws Exception {
            IndexColorModel palette = new IndexColorModel(1, 2,
                    new byte[] {(byte) 255, 0}, new byte[] {0, 0}, new byte[] {0, (byte) 255});
            BufferedImage indexed = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_BINARY, palette);
            for (int y = 0; y < 10; y++) {
                for (int x = 10; x < 20; x++) {
                    indexed.getRaster().setSample(x, y, 0, 1);
                }
            }

            BufferedImage image = loader.load(encode(indexed, "png"), "palette.png");

            assertColour(image, 2, 5, RED, 0);
            assertColour(image, 15, 5, 0x0000FF, 0);
        }

        @Test
        void rgbaPngIsCompositedOnWhite() throws Exception {
            BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
            argb.setRGB(0, 0, 0x00000000); // fully transparent black
            argb.setRGB(1, 0, 0x80FF0000); // half-transparent red
            argb.setRGB(2, 0, 0xFF00FF00); // opaque green

            BufferedImage image = loader.load(encode(argb, "png"), "alpha.png");

            assertColour(image, 0, 0, 0xFFFFFF, 0);
            assertColour(image, 1, 0, 0xFF7F7F, 1);
            assertColour(image, 2, 0, 0x00FF00, 0);
        }

        @Test
        void gifFirstFrame() throws Exception {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                writer.writeToSequence(new IIOImage(solid(16, 8, RED), null, null), null);
                writer.writeToSequence(new IIOImage(solid(16, 8, 0x0000FF), null, null), null);
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }

            BufferedImage image = loader.load(bytes.toByteArray(), "anim.gif");

            assertThat(image.getWidth()).isEqualTo(16);
            assertColour(image, 8, 4, RED, 0);
        }

        @Test
        void bmp() throws Exception {
            BufferedImage image = loader.load(encode(solid(7, 5, 0x3366CC), "bmp"), "a.bmp");

            assertThat(image.getWidth()).isEqualTo(7);
            assertColour(image, 3, 2, 0x3366CC, 0);
        }

        @Test
        void tiff() throws Exception {
            BufferedImage image = loader.load(encode(solid(9, 4, 0x3366CC), "tiff"), "a.tif");

            assertThat(image.getWidth()).isEqualTo(9);
            assertColour(image, 4, 2, 0x3366CC, 0);
        }

        @Test
        void adobeCmykJpeg() throws Exception {
            // Adobe CMYK JPEGs store inverted ink values: C=0 M=100% Y=100% K=0 is written as 255, 0, 0, 255
            WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 24, 16, 4, null);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 24; x++) {
                    cmyk.setPixel(x, y, new int[] {255, 0, 0, 255});
                }
            }

            BufferedImage image = loader.load(TestImages.adobeCmykJpeg(cmyk), "cmyk.jpg");

            assertThat(image.getWidth()).isEqualTo(24);
            assertColour(image, 12, 8, RED, 40);
        }

        @Test
        void losslessWebp() throws Exception {
            BufferedImage image = loader.load(resource("red-24x16-lossless.webp"), "red.webp");

            assertThat(image.getWidth()).isEqualTo(24);
            assertThat(image.getHeight()).isEqualTo(16);
            assertColour(image, 12, 8, RED, 0);
        }

        @Test
        void lossyWebp() throws Exception {
            BufferedImage image = loader.load(resource("red-24x16-lossy.webp"), "red.webp");

            assertThat(image.getWidth()).isEqualTo(24);
            assertColour(image, 12, 8, RED, 12);
        }

        @Test
        void fromAFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("red.png");
            Files.write(file, encode(solid(5, 5, RED), "png"));

            assertColour(loader.load(file), 2, 2, RED, 0);
        }
    }

    @Nested
    class AppliesExifOrientation {
        // stored picture: left half red, right half blue, wider than tall
        private final byte[] leftRedRightBlue = encode(halves(64, 32), "jpeg");

        @Test
        void orientation6TurnsThePictureClockwise() throws Exception {
            BufferedImage image = loader.load(withOrientation(6), "o6.jpg");

            assertThat(image.getWidth()).isEqualTo(32);
            assertThat(image.getHeight()).isEqualTo(64);
            assertColour(image, 16, 8, RED, 20);
            assertColour(image, 16, 56, 0x0000FF, 20);
        }

        @Test
        void orientation8TurnsThePictureCounterClockwise() throws Exception {
            BufferedImage image = loader.load(withOrientation(8), "o8.jpg");

            assertThat(image.getWidth()).isEqualTo(32);
            assertThat(image.getHeight()).isEqualTo(64);
            assertColour(image, 16, 8, 0x0000FF, 20);
            assertColour(image, 16, 56, RED, 20);
        }

        @Test
        void orientation3TurnsThePictureUpsideDown() throws Exception {
            BufferedImage image = loader.load(withOrientation(3), "o3.jpg");

            assertThat(image.getWidth()).isEqualTo(64);
            assertColour(image, 8, 16, 0x0000FF, 20);
            assertColour(image, 56, 16, RED, 20);
        }

        @Test
        void corruptExifMeansUpright() throws Exception {
            byte[] exif = TestImages.exifSegment(6);
            exif[14] = 'X'; // byte order mark no longer "MM"

            BufferedImage image = loader.load(TestImages.insertAfterSoi(leftRedRightBlue, exif), "bad-exif.jpg");

            assertThat(image.getWidth()).isEqualTo(64);
            assertColour(image, 8, 16, RED, 20);
        }

        private byte[] withOrientation(int orientation) {
            return TestImages.insertAfterSoi(leftRedRightBlue, TestImages.exifSegment(orientation));
        }

        private BufferedImage halves(int w, int h) {
            BufferedImage image = solid(w, h, RED);
            for (int y = 0; y < h; y++) {
                for (int x = w / 2; x < w; x++) {
                    image.setRGB(x, y, 0x0000FF);
                }
            }
            return image;
        }
    }

    @Test
    void aLargePhotoIsSubsampledWhileDecodingKeepingTheShortSideAboveMinSide() throws Exception {
        byte[] jpeg = encode(solid(4000, 3000, 0x336699), "jpeg");

        BufferedImage image = loader.load(jpeg, "big.jpg");

        assertThat(image.getHeight()).isBetween(256, 512);
        assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(4.0 / 3.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aSmallImageIsNotSubsampled() throws Exception {
        BufferedImage image = loader.load(encode(solid(500, 300, 0x336699), "png"), "small.png");

        assertThat(image.getWidth()).isEqualTo(500);
        assertThat(image.getHeight()).isEqualTo(300);
    }

    static void assertColour(BufferedImage image, int x, int y, int expected, int tolerance) {
        int actual = image.getRGB(x, y);
        String description = String.format("pixel (%d, %d) = #%06X, expected #%06X", x, y, actual & 0xFFFFFF, expected);
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = actual >> shift & 0xFF;
            int e = expected >> shift & 0xFF;
            assertThat(Math.abs(a - e)).as(description).isLessThanOrEqualTo(tolerance);
        }
    }

    private static void fillSamples(WritableRaster raster, int value) {
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.setSample(x, y, 0, value);
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageLoaderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
