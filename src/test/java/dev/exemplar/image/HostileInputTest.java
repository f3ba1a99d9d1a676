package dev.exemplar.image;

import static dev.exemplar.image.TestImages.encode;
import static dev.exemplar.image.TestImages.photoLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import dev.exemplar.testing.JpegBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files must each give an ImageError whose message tells the user what is wrong, and nothing else. */
class HostileInputTest {
    private final ImageLoader loader = ImageLoader.defaults();

    @Test
    void zeroByteFile(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));

        assertThatThrownBy(() -> loader.load(empty))
                .isInstanceOf(ImageError.class)
                .hasMessage("empty file (0 bytes)");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir.resolve("gone.jpg")))
                .isInstanceOf(ImageError.class)
                .hasMessage("cannot read file: no such file");
    }

    @Test
    void directoryInsteadOfFile(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("cannot read file: ");
    }

    @Test
    void truncatedJpeg() {
        byte[] jpeg = encode(photoLike(400, 300, 1), "jpeg");

        assertThatThrownBy(() -> loader.load(TestImages.truncate(jpeg, 0.6), "cut.jpg"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("image data truncated: ");
    }

    @Test
    void jpegCutInsideItsHeader() {
        byte[] jpeg = encode(photoLike(400, 300, 1), "jpeg");

        assertThatThrownBy(() -> loader.load(java.util.Arrays.copyOf(jpeg, 300), "cut.jpg"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("image data truncated: file ends inside the JPEG header");
    }

    @Test
    void truncatedPng() {
        byte[] png = encode(photoLike(200, 150, 2), "png");

        assertThatThrownBy(() -> loader.load(TestImages.truncate(png, 0.6), "cut.png"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("image data truncated: file ends inside chunk IDAT");
    }

    @Test
    void randomBytesNamedJpg() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 0x5A; // a fixed start, so the message is known
        noise[1] = 0x13;
        noise[2] = (byte) 0xC4;
        noise[3] = 0x00;

        assertThatThrownBy(() -> loader.load(noise, "photo.jpg"))
                .isInstanceOf(ImageError.class)
                .hasMessage("not an image file (starts with bytes 5a 13 c4 00) although named .jpg");
    }

    @Test
    void textFileIsNamedTextAndNotQuoted() {
        byte[] text = "password=hunter2\nHello, this is not a picture.\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> loader.load(text, "notes.txt"))
                .isInstanceOf(ImageError.class)
                .hasMessage("not an image file: text although named .txt");
    }

    @Test
    void utf8TextCutInsideACharacterByTheSampleIsStillText() {
        byte[] text = "é".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] shifted = ("x" + "é".repeat(1000)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> loader.load(text, "a")).hasMessage("not an image file: text");
        assertThatThrownBy(() -> loader.load(shifted, "a")).hasMessage("not an image file: text");
    }

    @Test
    void commonNonImageFilesAreNamedByTheirMagicNumber() {
        assertThatThrownBy(() -> loader.load(withTail("%PDF-1.7\n%\u00e2\u00e3"), "scan.jpg"))
                .hasMessage("not an image file: a PDF although named .jpg");
        assertThatThrownBy(() -> loader.load(withTail("PK\u0003\u0004secret.txt"), "photos.png"))
                .hasMessage("not an image file: a ZIP archive although named .png");
        assertThatThrownBy(() -> loader.load(withTail("SQLite format 3\u0000"), "db"))
                .hasMessage("not an image file: an SQLite database");
    }

    @Test
    void binaryFileThatStartsWithReadableCharactersIsNotQuoted() {
        byte[] bytes = withTail("key1");

        assertThatThrownBy(() -> loader.load(bytes, "x.jpg"))
                .hasMessage("not an image file (starts with readable characters) although named .jpg");
        assertThatThrownBy(() -> loader.load(withTail("ok"), "x.jpg"))
                .hasMessage("not an image file (starts with readable characters) although named .jpg");
    }

    /** The given start followed by bytes that are not text. */
    private static byte[] withTail(String start) {
        byte[] head = start.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 64);
        for (int i = head.length; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 2 == 0 ? 0x00 : 0x9C);
        }
        return bytes;
    }

    @Test
    void jpegWhoseScanUsesAnUndefinedHuffmanTable() {
        byte[] jpeg = encode(photoLike(64, 64, 3), "jpeg");
        int sos = JpegBytes.marker(jpeg, 0xDA);
        jpeg[sos + 6] = 0x33; // first component: DC and AC table 3, which the file never defines

        assertThatThrownBy(() -> loader.load(jpeg, "bad.jpg"))
                .isInstanceOf(ImageError.class)
                .hasMessageStartingWith("cannot decode JPEG: ");
    }

    @Test
    void pngDeclaringTenBillionPixelsIsRefusedFromItsHeader() {
        byte[] bomb = TestImages.pngDeclaring(100_000, 100_000);

        assertThat(bomb.length).isLessThan(200);
        assertThatThrownBy(() -> loader.load(bomb, "bomb.png"))
                .isInstanceOf(ImageError.class)
                .hasMessage("image declares 100000 x 100000 pixels (10000000000), above the limit of 100000000");
    }

    @Test
    void pngBombIsRefusedInAJvmWithA256MegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PngBombMain.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> output;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            output = out.lines().collect(Collectors.toList());
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
        assertThat(output).contains(
                "refused: image declares 100000 x 100000 pixels (10000000000), above the limit of 100000000");
    }

    @Test
    void randomlyDamagedFilesGiveAnImageOrAnImageErrorAndNothingElse() throws Exception {
        Random random = new Random(11);
        for (String format : List.of("jpeg", "png", "gif", "bmp", "tiff")) {
            byte[] original = encode(photoLike(48, 32, 4), format);
            for (int variant = 0; variant < 150; variant++) {
                byte[] damaged = original.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    damaged = java.util.Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
                }
                try {
                    loader.load(damaged, "damaged." + format);
                } catch (ImageError expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }
}
