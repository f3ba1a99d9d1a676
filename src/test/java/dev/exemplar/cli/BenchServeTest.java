package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.StandInMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar bench serve --label-studio ...} end to end: a short version of the large-project benchmark,
 * the backend syncing a stand-in project of the sample photographs while /health is timed all along.
 */
class BenchServeTest {
    @Test
    void timesHealthAllAlongASyncThatRunsToTheEnd() throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String url = ls.start();
            StandInMain.Served project = StandInMain.project(ls, StandInMain.images(Path.of("samples/rooms/images"), 30));

            CliFixtures.Outcome o = run("bench", "serve", "--label-studio", url, "--key", project.key(),
                    "--project", Long.toString(project.project()), "--requests", "20",
                    "--clients", "4", "--webhooks", "40", "--webhook-seconds", "2");

            assertThat(o.code()).as(o.err()).isZero();
            String[] lines = o.out().strip().split("\n");
            JsonNode f = Json.MAPPER.readTree(lines[lines.length - 1]);
            assertThat(f.get("sync_phase").asText()).isEqualTo("done");
            assertThat(f.get("sync_error").isNull()).as(f.toString()).isTrue();
            assertThat(f.get("tasks").asInt()).isEqualTo(30);
            assertThat(f.get("tasks_ordered").asInt()).isEqualTo(30);
            assertThat(f.get("requests").asInt()).isGreaterThanOrEqualTo(20);
            assertThat(f.get("requests_during_load").asInt()).as("timed while the sync ran").isPositive();
            assertThat(f.get("health_p99_ms").asDouble()).isPositive().isLessThanOrEqualTo(f.get("health_max_ms").asDouble());
            assertThat(f.get("sync_s").asDouble()).isPositive();
            assertThat(f.get("tasks_per_s").asDouble()).isPositive();
            assertThat(f.get("peak_heap_mb").asLong()).isPositive();
            assertThat(f.get("phase_s").has("features")).as(f.toString()).isTrue();
            assertThat(f.get("phase_s").has("order")).as(f.toString()).isTrue();
            for (String route : new String[] {"predict", "webhook"}) {
                assertThat(f.get(route + "_p50_ms").asDouble()).as(route).isPositive().isLessThanOrEqualTo(f.get(route + "_p99_ms").asDouble());
                assertThat(f.get(route + "_p99_ms").asDouble()).as(route).isLessThanOrEqualTo(f.get(route + "_max_ms").asDouble());
            }
            assertThat(f.get("predict_clients").asInt()).isEqualTo(4);
            assertThat(f.get("predict_requests").asInt()).as("predictions asked all along").isPositive();
            assertThat(f.get("predict_failed").asInt()).as(f.toString()).isZero();
            // every webhook posted is acknowledged and stored exactly once
            assertThat(f.get("webhooks_sent").asInt()).isEqualTo(40);
            assertThat(f.get("webhooks_acknowledged").asInt()).as(f.toString()).isEqualTo(40);
            assertThat(f.get("webhooks_stored").asInt()).isEqualTo(40);
            assertThat(f.get("webhooks_stored_twice").asInt()).isZero();
            assertThat(f.get("webhooks_acknowledged_not_stored").asInt()).isZero();
        }
    }
}
