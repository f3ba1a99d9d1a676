package dev.exemplar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.summary.PhaseFailure;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot finish writes what it has, marked partial with why, and ends non-zero with one line saying why
 * and what was written.
 */
class SummarizeStopsTest {
    @TempDir
    Path tmp;

    private Path data() throws Exception {
        Path dir = tmp.resolve("data");
        CliFixtures.goodImages(dir, 6);
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        return dir;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void anExhaustedHeapBeforeTheOrderWritesTheItemsReadAndTheirErrors() throws Exception {
        Path data = data(), out = tmp.resolve("result.json");
        CliFixtures.Outcome o;
        try (PhaseFailure f = PhaseFailure.in("neighbours", () -> new OutOfMemoryError("Java heap space"))) {
            o = CliFixtures.run("summarize", data.toString(), "--out", out.toString());
        }

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines().filter(l -> l.startsWith("error:")).toList()).singleElement().satisfies(line -> assertThat(line)
                .contains("heap was exhausted during neighbours").contains("wrote a partial result to " + out)
                .contains("6 items read, 1 with errors, no order"));
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("partial").asBoolean()).isTrue();
        assertThat(json.get("stopped").asText()).contains("heap was exhausted during neighbours");
        assertThat(strings(json.get("order"))).containsExactly("img00.jpg", "img01.jpg", "img02.jpg", "img03.jpg", "img04.jpg", "img05.jpg");
        assertThat(json.get("errors")).singleElement().satisfies(e -> assertThat(e.get("item").asText()).isEqualTo("broken.jpg"));
    }

    @Test
    void aPhaseFailingAfterTheOrderWritesTheOrder() throws Exception {
        Path data = data(), out = tmp.resolve("result.json");
        CliFixtures.Outcome whole = CliFixtures.run("summarize", data.toString(), "--out", tmp.resolve("whole.json").toString());
        CliFixtures.Outcome o;
        try (PhaseFailure f = PhaseFailure.throwing("links", () -> new IllegalStateException("no delegates to link to"))) {
            o = CliFixtures.run("summarize", data.toString(), "--out", out.toString());
        }

        assertThat(whole.code()).isZero();
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("error: the run stopped: the links phase failed: no delegates to link to during links")
                .contains("the order without summary or links");
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("partial").asBoolean()).isTrue();
        assertThat(strings(json.get("order"))).isEqualTo(strings(Json.MAPPER.readTree(tmp.resolve("whole.json").toFile()).get("order")));
        assertThat(json.get("errors")).hasSize(1);
        // a finished run's file says nothing of stopping
        assertThat(Json.MAPPER.readTree(tmp.resolve("whole.json").toFile()).has("partial")).isFalse();
    }

    /** Six thousand 8 x 8 pictures: some seconds of work, more than a 24 MB heap holds while searching neighbours. */
    private Path manyTinyImages() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("many"));
        Random r = new Random(3);
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 6_000; i++) {
            for (int p = 0; p < 64; p++) img.setRGB(p % 8, p / 8, r.nextInt(1 << 24));
            ImageIO.write(img, "png", data.resolve(String.format("%05d.png", i)).toFile());
        }
        return data;
    }

    @Test
    void aHeapTooSmallForTheRunEndsInOneLineAndAPartialResult() throws Exception {
        Path data = manyTinyImages(), out = tmp.resolve("result.json"), log = tmp.resolve("log.txt");

        Process p = ChildJvm.start("-Xmx24m", log, "summarize", data.toString(), "--out", out.toString());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();

        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).as(output).doesNotContain("Exception");
        assertThat(output.lines().filter(l -> l.startsWith("error:")).toList()).as(output).singleElement().satisfies(line ->
                assertThat(line).contains("MB heap was exhausted").contains("wrote a partial result to " + out));
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("partial").asBoolean()).isTrue();
        assertThat(json.get("order").size()).isPositive();
    }

    @Test
    void sigtermWritesWhatTheRunHasInItsOwnJvm() throws Exception {
        Path data = manyTinyImages(), out = tmp.resolve("result.json"), log = tmp.resolve("log.txt");

        Process p = ChildJvm.start(log, "summarize", data.toString(), "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains("features:") && System.nanoTime() < deadline) Thread.sleep(50);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isNotZero();
        assertThat(output.lines().filter(l -> l.startsWith("error:")).toList()).as(output).singleElement().satisfies(line ->
                assertThat(line).contains("stopped by a signal").contains("wrote a partial result to " + out));
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("partial").asBoolean()).isTrue();
        assertThat(json.get("stopped").asText()).contains("signal");
        assertThat(json.get("order").size() + json.get("errors").size()).isPositive();
    }
}
