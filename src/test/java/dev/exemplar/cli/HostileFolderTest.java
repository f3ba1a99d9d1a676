package dev.exemplar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import dev.exemplar.testing.JpegBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of hostile files and entries next to good photographs, summarised and analysed in a JVM with a 256 MB heap: every
 * bad file is a named per-item error, every good one is ordered, the run exits 0 within a minute.
 */
class HostileFolderTest {
    private static final long BOUND_SECONDS = 60;

    @TempDir
    Path tmp;

    /** The folder: good photographs by name, and each bad entry by name. */
    private record Corpus(Path folder, List<String> good, Set<String> bad) { }

    private Corpus corpus() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        List<String> good = new ArrayList<>();
        try (Stream<Path> photos = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : photos.sorted().limit(8).toList()) {
                Files.copy(p, data.resolve(p.getFileName()));
                good.add(p.getFileName().toString());
            }
        }
        byte[] real = Files.readAllBytes(data.resolve(good.get(0)));
        Map<String, byte[]> bad = new HashMap<>();
        bad.put("empty.jpg", new byte[0]);
        byte[] noise = new byte[5000];
        new Random(5).nextBytes(noise);
        noise[0] = 1;
        bad.put("random.png", noise);
        bad.put("truncated.jpg", Arrays.copyOf(real, real.length / 2));
        bad.put("many-scans.jpg", JpegBytes.repeatedScans(real, 5_000));
        bad.put("bomb.jpg", jpegDeclaring(real, 60_000, 60_000));
        bad.put("bomb.png", png(100_000, 100_000, new byte[0]));
        bad.put("bomb.gif", gifDeclaring(10_000, 10_000));
        bad.put("bomb.bmp", bmpDeclaring(100_000, 100_000));
        bad.put("bomb.tiff", tiffDeclaring(100_000, 100_000));
        bad.put("bomb.webp", webpDeclaring(16_000, 16_000));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Files.write(data.resolve(e.getKey()), e.getValue());
        }
        Set<String> badNames = new HashSet<>(bad.keySet());
        // entries of the folder that are no image files at all
        Files.createSymbolicLink(data.resolve("loop.jpg"), Path.of("loop.jpg"));
        Files.createDirectories(data.resolve("sub"));
        Files.createSymbolicLink(data.resolve("sub/up"), Path.of(".."));
        Files.createDirectories(data.resolve("album.jpg"));
        badNames.addAll(List.of("loop.jpg", "sub/up", "album.jpg"));
        if (sh(data, "mkfifo pipe.jpg")) badNames.add("pipe.jpg");
        // a Latin-1 name (0xE9 is not UTF-8) of a good photograph
        if (sh(data, "cp " + good.get(1) + " \"$(printf 'caf\\351.jpg')\"")) good.add("caf\\xe9.jpg");
        // bit flips in the entropy-coded data may still decode: either ordered or a named error
        byte[] flipped = real.clone();
        Random r = new Random(9);
        for (int i = 0; i < 20; i++) {
            int at = real.length / 2 + r.nextInt(real.length / 2 - 2);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
        }
        Files.write(data.resolve("flipped.jpg"), flipped);
        return new Corpus(data, good, badNames);
    }

    @Test
    void summarizeOrdersTheGoodAndNamesTheBad() throws Exception {
        Corpus c = corpus();
        Path result = tmp.resolve("result.json");
        run("summarize", c.folder().toString(), "--out", result.toString());
        JsonNode json = Json.MAPPER.readTree(result.toFile());
        Map<String, String> errors = errors(json.get("errors"));
        List<String> order = new ArrayList<>();
        json.get("order").forEach(n -> order.add(n.asText()));

        assertThat(errors.keySet()).containsAll(c.bad());
        assertThat(order).containsAll(c.good());
        assertNamed(errors);
        assertThat(order.size() + errors.size()).isEqualTo(c.good().size() + c.bad().size() + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wavelet", "ssim", "ssim-threshold", "ssim-kmeans", "semantic"})
    void analyzeAnalysesTheGoodAndNamesTheBad(String method) throws Exception {
        Corpus c = corpus();
        Path analysis = tmp.resolve("analysis.json");
        // the corpus is its own test set too: the test images' errors are named as the training images' are
        run("analyze", c.folder().toString(), "--test", c.folder().toString(), "--method", method, "--out", analysis.toString());
        JsonNode json = Json.MAPPER.readTree(analysis.toFile());
        Map<String, String> errors = errors(json.get("errors")), testErrors = errors(json.get("test_errors"));

        assertThat(errors.keySet()).containsAll(c.bad()).doesNotContainAnyElementsOf(c.good());
        assertThat(testErrors).isEqualTo(errors);
        assertNamed(errors);
        // every entry is analysed or named: the good ones, the bad ones, and the bit-flipped one either way
        assertThat(json.get("figures").get("n").asInt() + errors.size()).isEqualTo(c.good().size() + c.bad().size() + 1);
        assertThat(json.get("test_overlap").get("test_items").asInt()).isEqualTo(json.get("figures").get("n").asInt());
    }

    private static Map<String, String> errors(JsonNode array) {
        Map<String, String> errors = new HashMap<>();
        array.forEach(e -> errors.put(e.get("item").asText(), e.get("error").asText()));
        return errors;
    }

    private static void assertNamed(Map<String, String> errors) {
        assertThat(errors.values()).allSatisfy(m -> assertThat(m).isNotBlank().doesNotContain("java.").doesNotContain("Exception"));
        assertThat(errors.get("many-scans.jpg")).contains("more than 100 progressive scans");
        assertThat(errors.get("bomb.png")).contains("above the limit");
        assertThat(errors.get("truncated.jpg")).startsWith("image data truncated");
        assertThat(errors.get("bomb.gif")).startsWith("image data truncated");
    }

    /** Runs a shell command in the folder; false when the tool is missing or fails. */
    private static boolean sh(Path folder, String command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).directory(folder.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void run(String... args) throws Exception {
        ChildJvm.Ended run = ChildJvm.run(tmp.resolve("log.txt"), BOUND_SECONDS, args);
        assertThat(run.exit()).as(run.output()).isZero();
    }

    /** The JPEG with its frame header claiming another size: the data no longer fits it. */
    private static byte[] jpegDeclaring(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        int sof = JpegBytes.find(b, 0xC0);
        if (sof < 0) {
            sof = JpegBytes.find(b, 0xC2);
        }
        b[sof + 5] = (byte) (h >> 8);
        b[sof + 6] = (byte) h;
        b[sof + 7] = (byte) (w >> 8);
        b[sof + 8] = (byte) w;
        return b;
    }

    private static byte[] png(int w, int h, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater(9);
        d.setInput(raw);
        d.finish();
        byte[] z = new byte[raw.length + 64];
        chunk(out, "IDAT", Arrays.copyOf(z, d.deflate(z)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] gifDeclaring(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h)
                .put((byte) 0x80).put((byte) 0).put((byte) 0).put(new byte[] {0, 0, 0, -1, -1, -1});
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
        b.put((byte) 2).put((byte) 255);
        byte[] data = new byte[100];
        new Random(3).nextBytes(data);
        b.put(data);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] bmpDeclaring(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(54 + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 64).putInt(0).putInt(54);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    private static byte[] tiffDeclaring(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * 8 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 8);
        entry(b, 256, 4, w);          // ImageWidth
        entry(b, 257, 4, h);          // ImageLength
        entry(b, 258, 3, 8);          // BitsPerSample
        entry(b, 259, 3, 1);          // no compression
        entry(b, 262, 3, 1);          // black is zero
        entry(b, 273, 4, 8 + 2 + 12 * 8 + 4); // StripOffsets
        entry(b, 278, 4, h);          // RowsPerStrip
        entry(b, 279, 4, w * h);      // StripByteCounts
        b.putInt(0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    private static byte[] webpDeclaring(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(12 + 18 + 8 + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 18 + 18).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        put24(b, w - 1);
        put24(b, h - 1);
        b.put("VP8 ".getBytes(StandardCharsets.US_ASCII)).putInt(10).put(new byte[10]);
        return b.array();
    }

    private static void put24(ByteBuffer b, int v) {
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }
}
