package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.standin.Faults;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Label Studio that fails for a while (5xx), rate-limits (429 with Retry-After), or runs a write and
 * loses its answer, during a project's sync and during label propagation: the run ends as an
 * uninterrupted one does, with the same ranks, roles and delegates and each prediction written once.
 */
class LabelStudioFaultsTest {
    private static final String TASKS = "/api/tasks/?";
    private static final String TASK = "/api/tasks/\\d+/?";
    private static final String VIEWS = "/api/dm/views/?";
    private static final String VIEW = "/api/dm/views/\\d+/?";
    private static final String IMPORT = "/api/projects/\\d+/import/predictions/?";
    private static final String PREDICTION = "/api/predictions/\\d+/?";

    @TempDir
    Path dataDir;

    /** What a run leaves: the order (image, role, delegates' images) and Exemplar's predictions by image. */
    record Outcome(List<String> order, Set<String> predictions) { }

    /**
     * Sets up the project (sync), then people label and relabel delegates (propagation); {@code duringSync}
     * and {@code duringPropagation} inject faults before each phase.
     */
    private static Outcome run(SpreadingFixture fx, Consumer<Faults> duringSync, Consumer<Faults> duringPropagation) throws Exception {
        duringSync.accept(fx.ls.faults());
        fx.setUp();
        List<Long> ds = LabelSpreadingTest.delegates(fx);
        // first labels: bulk imports and their ids read back; then a relabel and one more label: updates
        List<Long> annotations = new ArrayList<>();
        for (int i = 0; i < ds.size() - 1; i++) annotations.add(fx.annotate(ds.get(i), SpreadingFixture.choices(i % 2 == 0 ? "a" : "b")));
        fx.awaitPropagation();
        duringPropagation.accept(fx.ls.faults());
        fx.api("PATCH", "/api/annotations/" + annotations.get(0), SpreadingFixture.JSON.createObjectNode()
                .set("result", SpreadingFixture.choices("c")));
        fx.awaitPropagation();
        fx.annotate(ds.get(ds.size() - 1), SpreadingFixture.choices("c"));
        fx.awaitPropagation();
        return outcome(fx);
    }

    private static Outcome outcome(SpreadingFixture fx) {
        List<String> order = new ArrayList<>();
        for (TaskStore.Task t : fx.tasks()) {
            List<String> delegates = new ArrayList<>();
            for (OrderStore.Source s : fx.store.orders().sources(fx.project, t.taskId())) delegates.add(fx.imageOf.get(s.delegate()));
            order.add(t.rank() + " " + fx.imageOf.get(t.taskId()) + " " + t.role() + " " + delegates);
        }
        Set<String> predictions = new TreeSet<>();
        for (Map.Entry<Long, List<JsonNode>> e : fx.predictions().entrySet()) {
            assertThat(e.getValue()).as("Exemplar's predictions on " + fx.imageOf.get(e.getKey())).hasSize(1);
            JsonNode p = e.getValue().get(0);
            predictions.add(fx.imageOf.get(e.getKey()) + " " + p.get("result") + " " + p.get("score").asDouble());
        }
        return new Outcome(order, predictions);
    }

    private Outcome clean() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir.resolve("clean"), LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            Outcome o = run(fx, f -> { }, f -> { });
            assertThat(o.order()).isNotEmpty();
            assertThat(o.predictions()).isNotEmpty();
            return o;
        }
    }

    private Outcome faulty(String name, Consumer<Faults> duringSync, Consumer<Faults> duringPropagation) throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir.resolve(name), LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            Outcome o = run(fx, duringSync, duringPropagation);
            assertThat(fx.ls.faults().unmet()).as("faults never met").isEmpty();
            assertThat(fx.ls.faults().injected()).isPositive();
            return o;
        }
    }

    @Test
    void serverErrorsForAWhileDelayButDoNotChangeTheOutcome() throws Exception {
        Outcome clean = clean();
        Outcome faulty = faulty("5xx", f -> f
                        .answer("GET", TASKS, 500, 2).answer("GET", TASKS, 502, 1)
                        .answer("PATCH", TASK, 502, 2).answer("PATCH", TASK, 500, 1)
                        .answer("GET", VIEWS, 500, 1).answer("GET", VIEWS, 502, 1)
                        .answer("POST", IMPORT, 500, 1).answer("POST", IMPORT, 502, 1),
                f -> f
                        .answer("PATCH", PREDICTION, 500, 1).answer("PATCH", PREDICTION, 502, 1));
        assertThat(faulty).isEqualTo(clean);
    }

    @Test
    void rateLimitingWithRetryAfterIsWaitedOut() throws Exception {
        Outcome clean = clean();
        Outcome faulty = faulty("429", f -> f
                        .answer("GET", TASKS, 429, Map.of("Retry-After", "1"), 1)
                        .answer("PATCH", TASK, 429, Map.of("Retry-After", httpDate(2)), 1)
                        .answer("POST", IMPORT, 429, Map.of("Retry-After", "1"), 1),
                f -> f
                        .answer("PATCH", PREDICTION, 429, Map.of("Retry-After", "1"), 1));
        assertThat(faulty).isEqualTo(clean);
    }

    @Test
    void writesWhoseAnswersWereLostAreNotDoubled() throws Exception {
        Outcome clean = clean();
        Outcome faulty = faulty("cut", f -> f
                        .cutAfterRunning("GET", TASKS, 1)
                        .cutAfterRunning("PATCH", TASK, 2)
                        .cutAfterRunning("POST", IMPORT, 1),
                f -> f
                        .cutAfterRunning("PATCH", PREDICTION, 1));
        assertThat(faulty).isEqualTo(clean);
    }

    private static String httpDate(int secondsFromNow) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.now().plusSeconds(secondsFromNow), ZoneOffset.UTC));
    }
}
