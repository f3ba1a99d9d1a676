package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar bench ingest DIR} end to end on a few images. */
class BenchIngestTest {
    @TempDir
    Path tmp;

    @Test
    void printsThePhasesAndTheImageIoYardstickAsOneJsonObjectOnTheLastLine() throws Exception {
        Path folder = tmp.resolve("images");
        CliFixtures.goodImages(folder, 12);

        CliFixtures.Outcome o = run("bench", "ingest", folder.toString(), "--threads", "2", "--limit", "10", "--warmup", "4");

        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        JsonNode f = Json.MAPPER.readTree(lines[lines.length - 1]);
        assertThat(f.get("benchmark").asText()).isEqualTo("ingest");
        assertThat(f.get("images").asInt()).isEqualTo(10);
        assertThat(f.get("errors").asInt()).isZero();
        assertThat(f.get("threads").asInt()).isEqualTo(2);
        assertThat(f.get("decoder").asText()).isIn("libjpeg-turbo", "ImageIO");
        assertThat(f.get("images_per_s").asDouble()).isPositive();
        assertThat(f.get("imageio_decode_images_per_s").asDouble()).isPositive();
        for (String phase : new String[] {"decode", "thumbnail", "descriptor"}) {
            assertThat(f.get("cpu_ms_per_image").get(phase).asDouble()).as(phase).isPositive();
        }
    }

    @Test
    void imageIoCanBeChosenAsTheDecoder() throws Exception {
        Path folder = tmp.resolve("images");
        CliFixtures.goodImages(folder, 3);

        CliFixtures.Outcome o = run("bench", "ingest", folder.toString(), "--decoder", "imageio", "--warmup", "0");

        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        assertThat(Json.MAPPER.readTree(lines[lines.length - 1]).get("decoder").asText()).isEqualTo("ImageIO");
    }
}
