package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar bench analyze FOLDER} end to end, on a few images topped up with their variants. */
class BenchAnalyzeTest {
    @TempDir
    Path tmp;

    @Test
    void printsTheFiguresAsOneJsonObjectOnTheLastLine() throws Exception {
        Path folder = tmp.resolve("images");
        CliFixtures.goodImages(folder, 12);

        CliFixtures.Outcome o = run("bench", "analyze", folder.toString(), "--n", "40", "--clusters", "6", "--repetitions", "2");

        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        JsonNode f = Json.MAPPER.readTree(lines[lines.length - 1]);
        assertThat(f.get("n").asInt()).isEqualTo(40);
        assertThat(f.get("images_read").asInt()).isEqualTo(12);
        assertThat(f.get("image_variants").asInt()).isEqualTo(28);
        assertThat(f.get("d").asInt()).isEqualTo(3072);
        assertThat(f.get("m").asInt()).isBetween(1, 40);
        assertThat(f.get("numerical_rank").asInt()).isGreaterThanOrEqualTo(f.get("m").asInt());
        assertThat(f.get("n_c").asInt()).isEqualTo(6);
        assertThat(f.get("condition_after").asDouble()).isBetween(1.0, 1e5);
        assertThat(f.get("seconds").has("rrqr")).isTrue();
        assertThat(f.get("seconds").has("kmeans")).isTrue();
        assertThat(f.get("total_seconds").asDouble()).isPositive();
        assertThat(f.get("total_seconds_runs")).hasSize(2);
    }
}
