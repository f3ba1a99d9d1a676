package dev.exemplar.image;

import static dev.exemplar.image.TestImages.encode;
import static dev.exemplar.image.TestImages.photoLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import dev.exemplar.testing.JpegBytes;
import org.junit.jupiter.api.Test;

/** Each image decodes within a bounded time and a share of the heap, or fails alone with a named error. */
class DecodeLimitsTest {
    private final ImageLoader loader = ImageLoader.defaults();

    @Test
    void aJpegWithThousandsOfScansIsRefusedBeforeDecoding() {
        byte[] many = JpegBytes.repeatedScans(encode(photoLike(64, 64, 1), "jpeg"), 5_000);

        assertThat(JpegScans.count(many, ImageLoader.MAX_JPEG_SCANS)).isEqualTo(ImageLoader.MAX_JPEG_SCANS + 1);
        for (ImageLoader l : List.of(loader, loader.withImageIoOnly())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> l.load(many, "scans.jpg"))
                    .isInstanceOf(ImageError.class)
                    .hasMessage("cannot decode JPEG: more than 100 progressive scans (a file built to make decoding take minutes)");
            assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        }
    }

    @Test
    void ordinaryJpegsHaveFewScans() throws Exception {
        byte[] jpeg = encode(photoLike(64, 64, 1), "jpeg");

        assertThat(JpegScans.count(jpeg, 100)).isEqualTo(1);
        assertThat(JpegScans.count(JpegBytes.repeatedScans(jpeg, 10), 100)).isEqualTo(10);
    }

    @Test
    void aDecodePastItsTimeLimitIsAbandoned() {
        byte[] png = encode(photoLike(3000, 3000, 2), "png");
        ImageLoader hasty = loader.with(1, new DecodeBudget(1000));

        assertThatThrownBy(() -> hasty.load(png, "slow.png"))
                .isInstanceOf(ImageError.class)
                .hasMessage("cannot decode PNG: abandoned after the time limit of 0.001 s per image");
    }

    @Test
    void aPictureLargerThanTheWholeBudgetIsRefusedNamingItsSize() throws Exception {
        byte[] wide = encode(photoLike(8000, 200, 3), "png"); // too narrow to subsample: 1.6 megapixels decoded
        ImageLoader small = loader.with(ImageLoader.DEFAULT_TIME_LIMIT_MILLIS, new DecodeBudget(1));

        assertThatThrownBy(() -> small.load(wide, "wide.png"))
                .isInstanceOf(ImageError.class)
                .hasMessage("decoding 8000 x 200 pixels needs about 32 MB, more than the 16 MB decoding budget of this heap");
        assertThat(loader.with(ImageLoader.DEFAULT_TIME_LIMIT_MILLIS, new DecodeBudget(2)).load(wide, "wide.png").getWidth())
                .isEqualTo(8000);
    }

    @Test
    void permitsAreGivenBackAfterEachDecode() throws Exception {
        DecodeBudget budget = new DecodeBudget(1);
        ImageLoader one = loader.with(ImageLoader.DEFAULT_TIME_LIMIT_MILLIS, budget);
        byte[] png = encode(photoLike(300, 200, 4), "png");
        byte[] cut = TestImages.truncate(png, 0.5);

        for (int i = 0; i < 5; i++) {
            assertThat(one.load(png, "a.png").getWidth()).isEqualTo(300);
            assertThatThrownBy(() -> one.load(cut, "cut.png")).isInstanceOf(ImageError.class);
        }
    }

    @Test
    void aTruncatedGifIsAnError() throws Exception {
        byte[] gif = encode(photoLike(600, 400, 5), "gif");

        assertThat(loader.load(gif, "whole.gif").getWidth()).isEqualTo(600);
        assertThatThrownBy(() -> loader.load(TestImages.truncate(gif, 0.5), "cut.gif"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("image data truncated: file ends inside the image data");
    }

    @Test
    void aGifDeclaringTenThousandSquareWithLittleDataIsAnError() {
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        gif.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        gif.writeBytes(new byte[] {0x10, 0x27, 0x10, 0x27, (byte) 0x80, 0, 0}); // 10000 x 10000, 2-colour table
        gif.writeBytes(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        gif.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, 0x10, 0x27, 0x10, 0x27, 0}); // image descriptor
        gif.write(2); // LZW minimum code size
        byte[] data = new byte[200];
        new Random(3).nextBytes(data);
        gif.write(255); // a sub-block of 255 bytes of which 200 are present
        gif.writeBytes(data);

        assertThatThrownBy(() -> loader.load(gif.toByteArray(), "bomb.gif"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("image data truncated: ");
    }

    @Test
    void oddExceptionsOfDamagedFilesReadAsDamage() throws Exception {
        Random random = new Random(17);
        for (String format : List.of("tiff", "bmp", "gif", "png", "jpeg")) {
            byte[] original = encode(photoLike(48, 32, 6), format);
            for (int variant = 0; variant < 300; variant++) {
                byte[] damaged = original.clone();
                for (int k = 0; k < 1 + random.nextInt(12); k++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(3) == 0) {
                    damaged = Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
                }
                try {
                    loader.load(damaged, "damaged." + format);
                } catch (ImageError e) {
                    assertThat(e.getMessage()).doesNotContain("cannot be cast").doesNotContain("java.");
                }
            }
        }
    }
}
