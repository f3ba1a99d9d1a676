package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.Role;
import dev.exemplar.store.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What label propagation does with a project's annotations, on the bundled sample (36 photographs). */
class LabelSpreadingTest {
    static final String CHOICES = "<View><Image name=\"image\" value=\"$image\"/><Choices name=\"label\" toName=\"image\">"
            + "<Choice value=\"a\"/><Choice value=\"b\"/><Choice value=\"c\"/></Choices></View>";

    @TempDir
    Path dataDir;

    static List<Path> sample() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            return files.sorted().toList();
        }
    }

    static List<Long> delegates(SpreadingFixture fx) {
        return fx.tasks().stream().filter(t -> t.role() == Role.DELEGATE).map(TaskStore.Task::taskId).toList();
    }

    static List<Long> constituents(SpreadingFixture fx) {
        return fx.tasks().stream().filter(t -> t.role() == Role.CONSTITUENT).map(TaskStore.Task::taskId).toList();
    }

    static List<String> values(JsonNode prediction, String type) {
        List<String> out = new ArrayList<>();
        prediction.at("/result/0/value/" + type).forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void everyConstituentGetsOnePredictionAndDelegatesNone() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), CHOICES)) {
            fx.setUp();
            for (long d : delegates(fx)) fx.annotate(d, SpreadingFixture.choices("a"));
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            assertThat(predictions.keySet()).containsExactlyInAnyOrderElementsOf(constituents(fx));
            for (List<JsonNode> ps : predictions.values()) {
                assertThat(ps).hasSize(1);
                assertThat(values(ps.get(0), "choices")).containsExactly("a");
                assertThat(ps.get(0).get("score").asDouble()).isBetween(0.0, 1.0);
            }
            // the review tab: constituents with a propagated label and no annotation, least certain first
            long reviewView = fx.store.views().get(fx.project, "review").orElseThrow();
            List<Long> listed = fx.ls.read().viewTaskIds(reviewView);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(predictions.keySet());
            List<Double> scores = listed.stream().map(t -> predictions.get(t).get(0).get("score").asDouble()).toList();
            assertThat(scores).isSorted();
            fx.annotate(listed.get(0), SpreadingFixture.choices("b"));
            fx.awaitPropagation();
            assertThat(fx.ls.read().viewTaskIds(reviewView)).doesNotContain(listed.get(0));

            // Label Studio shows, and orders the review tab by, Exemplar's predictions
            assertThat(fx.ls.read().project(fx.project).get("model_version").asText()).isEqualTo(SpreadingFixture.VERSION);

            // /predict answers the same label and score; the new label has spread, so as Label Studio holds them now
            Map<Long, List<JsonNode>> now = fx.predictions();
            long c = listed.get(1);
            JsonNode predicted = fx.post("/predict", SpreadingFixture.JSON.readTree("{\"project\": \"" + fx.project
                    + ".1\", \"tasks\": [{\"id\": " + c + ", \"project\": " + fx.project + "}]}"));
            assertThat(predicted.at("/results/0/0/result")).isEqualTo(now.get(c).get(0).get("result"));
            assertThat(predicted.at("/results/0/0/score").asDouble()).isEqualTo(now.get(c).get(0).get("score").asDouble());
        }
    }

    @Test
    void aConstituentAnnotatedByAPersonIsNeverWrittenToAndItsSuggestionIsWithdrawn() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), CHOICES)) {
            fx.setUp();
            List<Long> cs = constituents(fx);
            long early = cs.get(0), late = cs.get(1);
            fx.annotate(early, SpreadingFixture.choices("c")); // before anything was propagated
            List<Long> annotations = new ArrayList<>();
            for (long d : delegates(fx)) annotations.add(fx.annotate(d, SpreadingFixture.choices("a")));
            fx.awaitPropagation();
            assertThat(fx.predictions()).doesNotContainKey(early).containsKey(late);
            long person = fx.annotate(late, SpreadingFixture.choices("b"));
            JsonNode theirs = fx.api("GET", "/api/annotations/" + person, null);
            ArrayNode relabelled = SpreadingFixture.choices("b");
            for (long a : annotations) fx.api("PATCH", "/api/annotations/" + a, SpreadingFixture.JSON.createObjectNode().set("result", relabelled));
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> after = fx.predictions();
            assertThat(after).doesNotContainKey(early).doesNotContainKey(late);
            assertThat(fx.api("GET", "/api/annotations/" + person, null)).as("the person's label as they left it").isEqualTo(theirs);
            assertThat(fx.api("GET", "/api/tasks/" + early + "/annotations/", null)).hasSize(1);
            assertThat(values(after.get(cs.get(2)).get(0), "choices")).as("the others follow the new label").containsExactly("b");
        }
    }

    @Test
    void multipleChoicesPropagateEveryValueWithAWeightedShareOfAtLeastHalf() throws Exception {
        String config = CHOICES.replace("<Choices name=\"label\" toName=\"image\">", "<Choices name=\"label\" toName=\"image\" choice=\"multiple\">");
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), config)) {
            fx.setUp();
            Map<Long, Set<String>> given = new HashMap<>();
            int i = 0;
            for (long d : delegates(fx)) {
                Set<String> vs = new LinkedHashSet<>(List.of("a"));
                if (i % 2 == 0) vs.add("b");
                if (i % 3 == 0) vs.add("c");
                i++;
                given.put(d, vs);
                fx.annotate(d, SpreadingFixture.choices(vs.toArray(String[]::new)));
            }
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            int split = 0;
            for (long c : constituents(fx)) {
                Map<String, Double> share = new HashMap<>();
                double total = 0;
                for (OrderStore.Source s : fx.store.orders().sources(fx.project, c)) {
                    if (s.linkWeight() == 0) continue;
                    total += s.linkWeight();
                    for (String v : given.get(s.delegate())) share.merge(v, s.linkWeight(), Double::sum);
                }
                Set<String> expected = new HashSet<>();
                for (var e : share.entrySet()) if (e.getValue() / total >= 0.5 - 1e-9) expected.add(e.getKey());
                double sum = total;
                if (share.values().stream().anyMatch(v -> v / sum > 1e-6 && v / sum < 1 - 1e-6)) split++;
                assertThat(new HashSet<>(values(predictions.get(c).get(0), "choices"))).as("constituent " + c).isEqualTo(expected);
            }
            assertThat(split).as("constituents whose delegates disagree on some value").isPositive();
        }
    }

    @Test
    void boxesGoOnlyToNearDuplicatesWithTheirCoordinates() throws Exception {
        String config = "<View><Image name=\"image\" value=\"$image\"/><RectangleLabels name=\"box\" toName=\"image\">"
                + "<Label value=\"thing\"/></RectangleLabels></View>";
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), config)) {
            fx.setUp();
            Map<Long, JsonNode> boxes = new HashMap<>();
            for (long d : delegates(fx)) {
                ArrayNode result = SpreadingFixture.JSON.createArrayNode();
                ObjectNode item = result.addObject().put("id", "r" + d).put("from_name", "box").put("to_name", "image")
                        .put("type", "rectanglelabels").put("original_width", 640).put("original_height", 480);
                item.putObject("value").put("x", d % 50 + 0.5).put("y", 10.25).put("width", 20).put("height", 30.5).put("rotation", 0)
                        .putArray("rectanglelabels").add("thing");
                boxes.put(d, item.get("value"));
                fx.annotate(d, result);
            }
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            Set<Long> copiesOfLabelled = new HashSet<>();
            for (long c : constituents(fx)) {
                for (long other : fx.store.orders().copiesOf(fx.project, c)) if (boxes.containsKey(other)) copiesOfLabelled.add(c);
            }
            assertThat(copiesOfLabelled).isNotEmpty();
            assertThat(predictions.keySet()).containsExactlyInAnyOrderElementsOf(copiesOfLabelled);
            for (long c : copiesOfLabelled) {
                JsonNode item = predictions.get(c).get(0).at("/result/0");
                long source = fx.store.orders().copiesOf(fx.project, c).stream().filter(boxes::containsKey).findFirst().orElseThrow();
                assertThat(item.get("value")).as("coordinates unchanged").isEqualTo(boxes.get(source));
                assertThat(item.has("id")).isFalse();
            }
        }
    }

    @Test
    void deletingAnAnnotationRemovesWhatItCausedAndSpreadsTheRestAgain() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), CHOICES)) {
            fx.setUp();
            List<Long> ds = delegates(fx);
            long first = fx.annotate(ds.get(0), SpreadingFixture.choices("a"));
            fx.annotate(ds.get(1), SpreadingFixture.choices("b"));
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> before = fx.predictions();
            long fromFirst = before.values().stream().filter(ps -> values(ps.get(0), "choices").contains("a")).count();
            assertThat(fromFirst).isPositive();
            fx.api("DELETE", "/api/annotations/" + first, null);
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> after = fx.predictions();
            // the one label left spreads to every other task, the delegate that lost its label included
            Set<Long> unlabelled = new HashSet<>(fx.imageOf.keySet());
            unlabelled.remove(ds.get(1));
            assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(unlabelled).contains(ds.get(0));
            for (List<JsonNode> ps : after.values()) {
                assertThat(ps).hasSize(1);
                assertThat(values(ps.get(0), "choices")).containsExactly("b");
            }
            fx.annotate(ds.get(2), SpreadingFixture.choices("c"));
            fx.awaitPropagation();
            String status = fx.store.labels().spreadLabels(fx.project).toString();
            assertThat(fx.predictions().values()).allSatisfy(ps -> assertThat(ps).as(status).hasSize(1));
        }
    }

    @Test
    void unsupportedControlTagsAreNamedInTheStatus() throws Exception {
        String config = CHOICES.replace("</View>", "<TextArea name=\"notes\" toName=\"image\"/></View>");
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, sample(), config)) {
            fx.setUp();
            fx.annotate(delegates(fx).get(0), SpreadingFixture.choices("a"));
            fx.awaitPropagation();
            assertThat(fx.store.projects().propagationNote(fx.project)).hasValueSatisfying(n -> assertThat(n).contains("notes (textarea)"));
            JsonNode status = fx.get("/projects/" + fx.project + "/status");
            assertThat(status.at("/propagation/note").asText()).contains("notes (textarea)");
            assertThat(status.at("/propagation/labelled_tasks").asInt()).isEqualTo(1);
        }
    }
}
