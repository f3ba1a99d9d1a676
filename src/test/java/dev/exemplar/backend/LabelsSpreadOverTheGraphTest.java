package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single choices spread over the neighbour graph the order was built on, on the bundled sample (36
 * photographs of 14 scenes, several views each): every task people have not labelled may get a
 * prediction, delegates included.
 */
class LabelsSpreadOverTheGraphTest {
    @TempDir
    Path dataDir;

    /** The sample's scene of each image, by file name. */
    static Map<String, String> scenes() throws Exception {
        Map<String, String> out = new HashMap<>();
        List<String> lines = Files.readAllLines(Path.of("samples/rooms/truth.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            out.put(f[0].substring(f[0].lastIndexOf('/') + 1), f[1]);
        }
        return out;
    }

    static String config(Iterable<String> labels) {
        StringBuilder c = new StringBuilder("<View><Image name=\"image\" value=\"$image\"/><Choices name=\"label\" toName=\"image\">");
        for (String l : labels) c.append("<Choice value=\"").append(l).append("\"/>");
        return c.append("</Choices></View>").toString();
    }

    /** Prediction writes the backend made to Label Studio so far: creations, bulk imports, changes and removals. */
    static long predictionWrites(SpreadingFixture fx) {
        var calls = fx.sync.calls();
        return calls.count("POST", "predictions") + calls.count("POST", "import_predictions")
                + calls.count("PATCH", "predictions") + calls.count("DELETE", "predictions");
    }

    @Test
    void anUnlabelledDelegateGetsTheLabelOfTheSceneItShowsFromTheDelegatesLabelledThere() throws Exception {
        Map<String, String> scene = scenes();
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), config(new java.util.TreeSet<>(scene.values())))) {
            fx.setUp();
            // of every scene with several delegates, all but the last in the queue are labelled with the scene
            Map<String, List<Long>> delegatesOf = new LinkedHashMap<>();
            for (long d : LabelSpreadingTest.delegates(fx)) delegatesOf.computeIfAbsent(scene.get(fx.imageOf.get(d)), k -> new ArrayList<>()).add(d);
            Map<Long, String> left = new LinkedHashMap<>();
            delegatesOf.forEach((s, ds) -> {
                if (ds.size() < 2) return;
                for (long d : ds.subList(0, ds.size() - 1)) fx.annotate(d, SpreadingFixture.choices(s));
                left.put(ds.get(ds.size() - 1), s);
            });
            assertThat(left).as("scenes with several delegates in the sample").isNotEmpty();
            fx.awaitPropagation();

            Map<Long, List<JsonNode>> predictions = fx.predictions();
            int right = 0;
            for (var e : left.entrySet()) {
                assertThat(predictions.get(e.getKey())).as("delegate " + e.getKey()).hasSize(1);
                if (LabelSpreadingTest.values(predictions.get(e.getKey()).get(0), "choices").equals(List.of(e.getValue()))) right++;
                System.out.println("delegate " + e.getKey() + " of scene " + e.getValue() + ": " + predictions.get(e.getKey()).get(0).get("result")
                        + " " + predictions.get(e.getKey()).get(0).get("score"));
            }
            assertThat(right).as("unlabelled delegates given the scene they show, of " + left.size()).isEqualTo(left.size());
            // the review tab lists them with the constituents, least certain first
            long reviewView = fx.store.views().get(fx.project, "review").orElseThrow();
            assertThat(fx.ls.read().viewTaskIds(reviewView)).containsAll(left.keySet());
        }
    }

    @Test
    void aWebhookThatChangesNothingWritesNothingAndPeopleLabelledTasksGetNone() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            fx.setUp();
            List<Long> ds = LabelSpreadingTest.delegates(fx), cs = LabelSpreadingTest.constituents(fx);
            List<Long> labelled = List.of(ds.get(0), ds.get(1), ds.get(2), cs.get(0));
            String[] values = {"a", "b", "a", "c"};
            long last = 0;
            for (int i = 0; i < labelled.size(); i++) last = fx.annotate(labelled.get(i), SpreadingFixture.choices(values[i]));
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            assertThat(predictions).doesNotContainKeys(labelled.toArray(Long[]::new));
            assertThat(predictions.keySet()).as("every other task, delegates included").hasSize(fx.imageOf.size() - labelled.size());
            assertThat(predictions.values()).allSatisfy(ps -> assertThat(ps).hasSize(1));

            long before = predictionWrites(fx);
            fx.post("/webhook", fx.ls.seed().annotationCreatedEvent(last));
            fx.awaitPropagation();
            assertThat(predictionWrites(fx)).as("prediction writes for a webhook that changes nothing").isEqualTo(before);
            assertThat(fx.store.labels().projectsToWrite()).isEmpty();

            // a new label writes only the predictions whose label or confidence it changed
            long third = ds.get(3);
            fx.annotate(third, SpreadingFixture.choices("b"));
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> after = fx.predictions();
            int changed = 0;
            for (var e : after.entrySet()) {
                JsonNode was = predictions.get(e.getKey()).get(0), now = e.getValue().get(0);
                if (!was.get("result").equals(now.get("result")) || was.get("score").asDouble() != now.get("score").asDouble()) changed++;
            }
            long writes = predictionWrites(fx) - before;
            System.out.println("a new label: " + changed + " predictions changed, " + writes + " prediction writes");
            assertThat(after).doesNotContainKey(third);
            assertThat(writes).as("one write a changed prediction, and one for the task now labelled").isEqualTo(changed + 1);
        }
    }

    @Test
    void theGraphIsKeptWithTheOrder() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            fx.setUp();
            OrderStore.StoredGraph graph = fx.store.orders().graph(fx.project).orElseThrow();
            assertThat(graph.tasks()).containsExactlyElementsOf(fx.tasks().stream().map(TaskStore.Task::taskId).toList());
            assertThat(graph.graph().degree()).isEqualTo(20);
            assertThat(java.util.Arrays.stream(graph.graph().neighbours()).boxed().toList()).allSatisfy(t -> assertThat(fx.imageOf).containsKey(t));
        }
    }
}
