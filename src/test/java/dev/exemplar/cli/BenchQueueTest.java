package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code exemplar bench queue} against the stand-in Label Studio and a real one on rooms-dev (310 photographs of scenes):
 * labelling what the summary tab serves through Label Studio, with the backend spreading the labels and,
 * for the adaptive queue, reordering the tab, gives the very effort {@code simulate} computes in the
 * engine alone, for each queue order.
 */
class BenchQueueTest {
    static final Path ROOMS = Path.of("..", "shared", "datasets", "rooms-dev");

    /** simulate's figures at 30% by queue order, computed once for both tests. */
    private static final Map<String, JsonNode> SIMULATED = new ConcurrentHashMap<>();

    @Test
    void throughTheStandInTheEffortIsTheEffortSimulateComputesForEachQueueOrder() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ROOMS.resolve("images")), "rooms-dev is not beside the project");
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String url = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            checkAgainstSimulate(url, admin.personalAccessToken());
        }
    }

    @Test
    void throughARealLabelStudioTheEffortIsTheEffortSimulateComputesForEachQueueOrder() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ROOMS.resolve("images")), "rooms-dev is not beside the project");
        RealLabelStudio real = RealLabelStudio.find();
        if (real == null && System.getenv("CI") != null) fail(RealLabelStudio.missing());
        Assumptions.assumeTrue(real != null, RealLabelStudio.missing());
        checkAgainstSimulate(real.url(), real.personalAccessToken());
    }

    private static void checkAgainstSimulate(String url, String key) throws Exception {
        CliFixtures.Outcome o = CliFixtures.run("bench", "queue", "--label-studio", url, "--key", key,
                "--images", ROOMS.resolve("images").toString(), "--label-column", "group", "--percent", "30");
        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        JsonNode bench = Json.MAPPER.readTree(lines[lines.length - 1]);
        assertThat(bench.get("images").asInt()).isEqualTo(310);
        for (String queue : new String[] {"summary", "adaptive"}) {
            JsonNode row = bench.path("by_queue").path(queue).get(0);
            assertThat(row.get("labelled").asInt()).as(queue).isEqualTo(93);
            JsonNode sim = SIMULATED.computeIfAbsent(queue, BenchQueueTest::simulate);
            System.out.println(queue + ": through Label Studio at " + url + " " + row + "; simulate effort " + sim.get("effort")
                    + ", coverage " + sim.get("coverage"));
            assertThat(row.get("effort").asDouble()).as(queue + " effort").isCloseTo(sim.get("effort").asDouble(), Offset.offset(0.001));
            assertThat(row.get("coverage").asDouble()).as(queue + " coverage").isCloseTo(sim.get("coverage").asDouble(), Offset.offset(0.001));
            assertThat(row.get("effort").asDouble()).as(queue + ": some propagated labels are trusted").isLessThan(0.9);
        }
    }

    private static JsonNode simulate(String queue) {
        CliFixtures.Outcome s = CliFixtures.run("simulate", ROOMS.resolve("images").toString(), "--labels",
                ROOMS.resolve("truth.csv").toString(), "--label-column", "group", "--percent", "30", "--queue", queue);
        assertThat(s.code()).as(s.err()).isZero();
        String[] lines = s.out().strip().split("\n");
        try {
            return Json.MAPPER.readTree(lines[lines.length - 1]).path("percents").get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
