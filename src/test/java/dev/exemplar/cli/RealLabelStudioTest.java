package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.backend.ProjectSync;
import dev.exemplar.cli.LabelStudioScenario.Exemplar;
import dev.exemplar.cli.LabelStudioScenario.ImageFolder;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.labelstudio.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exemplar against a real Label Studio (1.23, started by {@code ../shared/labelstudio/real/start.sh}),
 * used as a labelling team uses it: the project is made, the backend connected through Label Studio,
 * delegates labelled from the summary queue, propagated labels reviewed, more images imported, an
 * annotation deleted, and Exemplar removed again. The steps run in order on one project.
 *
 * <p>Without a Label Studio the test is skipped, except under {@code CI}, where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLabelStudioTest {
    static final Path IMAGES = Path.of("samples/rooms/images");
    static final Path TRUTH = Path.of("samples/rooms/truth.csv");
    static final int HELD_BACK = 6, LABELLED = 4;
    static final Duration SYNC = Duration.ofSeconds(120), SOON = Duration.ofSeconds(60), POLL = Duration.ofMillis(200);
    static final String MODEL_VERSION = Exemplar.modelVersion();
    static final Set<String> FIELDS = Set.of(ProjectSync.RANK, ProjectSync.ROLE, ProjectSync.DELEGATES);

    String unavailable;
    String pat;
    Path log;
    long logStart;
    ImageFolder images;
    Exemplar exemplar;
    LabelStudioScenario ls;
    LabelStudioClient client;
    Map<String, String> truth;
    long project = -1;
    /** What was imported, by task id: every field but Exemplar's must stay as it is. */
    final Map<Long, ObjectNode> imported = new LinkedHashMap<>();
    final List<String> heldBack = new ArrayList<>();
    final Map<Long, Long> annotationOf = new LinkedHashMap<>();
    long accepted, rejected;

    @BeforeAll
    void startWithAProjectOfImages(@TempDir Path dataDir) throws IOException {
        unavailable = findLabelStudio();
        if (unavailable != null) {
            if (System.getenv("CI") != null) fail(unavailable);
            return; // each step is skipped, with the reason
        }
        logStart = Files.exists(log) ? Files.size(log) : 0;
        truth = LabelStudioScenario.truth(TRUTH, "group"); // in rooms, the scene is the label
        images = new ImageFolder(IMAGES);
        exemplar = Exemplar.start(ls.url(), pat, dataDir);
        client = ls.client();
        project = ls.createProject("Exemplar end-to-end " + Instant.now().truncatedTo(ChronoUnit.SECONDS), new TreeSet<>(truth.values()));
        // a tab of the team's own, which Exemplar must leave alone
        client.createView(project, View.data("Our own tab", null, List.of("tasks:id")));

        List<String> files = new ArrayList<>(images.names());
        Collections.shuffle(files, new Random(7));
        heldBack.addAll(files.subList(0, HELD_BACK));
        importTasks(files.subList(HELD_BACK, files.size()));
    }

    /**
     * Reads the credentials file named by EXEMPLAR_LABEL_STUDIO and checks that a Label Studio answers
     * at its URL; returns why not, or null.
     */
    private String findLabelStudio() throws IOException {
        RealLabelStudio found = RealLabelStudio.find();
        if (found == null) return RealLabelStudio.missing();
        pat = found.personalAccessToken();
        log = found.log();
        ls = new LabelStudioScenario(found.url(), pat);
        return null;
    }

    @BeforeEach
    void needsLabelStudio() {
        assumeTrue(unavailable == null, unavailable);
    }

    @AfterAll
    void deleteTheProject() {
        if (project > 0) ls.deleteProject(project);
        if (exemplar != null) exemplar.close();
        if (images != null) images.close();
    }

    @Test
    @Order(1)
    void connectingTheBackendAsTheUiDoesSyncsTheProject() {
        JsonNode backend = ls.connectBackend(project, exemplar.url(), "Exemplar");
        assertThat(backend.path("state").asText()).as("Label Studio's health and setup calls succeeded").isEqualTo("CO");
        assertThat(client.webhooks(project)).as("the webhook Label Studio makes for a backend")
                .anyMatch(w -> w.url().equals(exemplar.url() + "/webhook"));

        JsonNode status = awaitSync();
        assertThat(status.path("last_error").isNull()).as("last error: " + status.path("last_error")).isTrue();
        assertThat(exemplar.result(project).path("order")).hasSize(imported.size());
    }

    @Test
    @Order(2)
    void everyTaskCarriesItsRankRoleAndDelegatesAndKeepsItsOtherFields() {
        JsonNode result = exemplar.result(project);
        List<Task> tasks = client.tasks(project).toList();
        for (Task t : tasks) {
            assertThat(t.data().path(ProjectSync.RANK).isTextual()).as("rank of task " + t.id()).isTrue();
            assertThat(t.data().path(ProjectSync.ROLE).asText()).as("role of task " + t.id()).isIn("delegate", "constituent");
            assertThat(t.data().path(ProjectSync.DELEGATES).isArray()).as("delegates of task " + t.id()).isTrue();
            assertThat(withoutExemplar(t.data())).as("the imported fields of task " + t.id()).isEqualTo(imported.get(t.id()));
        }
        assertThat(byRank(tasks)).as("tasks ordered by rank as text").isEqualTo(ids(result.path("order")));

        int summary = result.path("summary_size").asInt();
        assertThat(summary).isPositive();
        List<Long> order = ids(result.path("order"));
        Map<Long, Task> byId = tasks.stream().collect(Collectors.toMap(Task::id, t -> t));
        for (int i = 0; i < order.size(); i++) {
            Task t = byId.get(order.get(i));
            assertThat(t.data().path(ProjectSync.ROLE).asText()).as("role of rank " + (i + 1)).isEqualTo(i < summary ? "delegate" : "constituent");
            List<Long> linked = new ArrayList<>();
            result.path("links").path(Long.toString(t.id())).forEach(l -> linked.add(l.path("delegate").asLong()));
            assertThat(ids(t.data().path(ProjectSync.DELEGATES))).as("delegates of task " + t.id()).isEqualTo(linked);
        }
    }

    @Test
    @Order(3)
    void theViewsExistAndTheSummaryQueueListsTheDelegatesInRankOrder() {
        assertThat(client.views(project)).extracting(View::title)
                .contains(ProjectSync.SUMMARY_VIEW, ProjectSync.CONSTITUENTS_VIEW, ProjectSync.REVIEW_VIEW, "Our own tab");
        JsonNode result = exemplar.result(project);
        List<Long> order = ids(result.path("order"));
        int summary = result.path("summary_size").asInt();
        assertThat(ls.viewTasks(project, view(ProjectSync.SUMMARY_VIEW)).stream().map(Task::id).toList())
                .isEqualTo(order.subList(0, summary));
        assertThat(ls.viewTasks(project, view(ProjectSync.CONSTITUENTS_VIEW)).stream().map(Task::id).toList())
                .isEqualTo(order.subList(summary, order.size()));
    }

    @Test
    @Order(4)
    void labellingFromTheSummaryQueueServesTheDelegatesInRankOrderAndNeverAConstituent() {
        List<Long> served = new ArrayList<>();
        for (int i = 0; i < LABELLED; i++) {
            Task next = ls.nextTask(project, view(ProjectSync.SUMMARY_VIEW)).orElseThrow();
            assertThat(next.data().path(ProjectSync.ROLE).asText()).as("role of served task " + next.id()).isEqualTo("delegate");
            served.add(next.id());
            annotationOf.put(next.id(), ls.annotate(next.id(), labelOf(next.id())));
        }
        assertThat(served).isEqualTo(ids(exemplar.result(project).path("order")).subList(0, LABELLED));
    }

    @Test
    @Order(5)
    void labelsArePropagatedToTheConstituentsAsPredictionsOfExemplar() {
        awaitPropagation(LABELLED);
        JsonNode result = exemplar.result(project);
        Set<Long> reached = new TreeSet<>();
        result.path("links").fields().forEachRemaining(e -> e.getValue().forEach(l -> {
            if (annotationOf.containsKey(l.path("delegate").asLong())) reached.add(Long.parseLong(e.getKey()));
        }));
        assertThat(reached).as("constituents linked to a labelled delegate").isNotEmpty();

        Map<Long, List<Prediction>> ours = exemplarPredictions();
        assertThat(ours.keySet()).as("constituents with a prediction").containsAll(reached);
        assertThat(ours).allSatisfy((task, ps) -> assertThat(ps).as("predictions of task " + task).hasSize(1));
        // labels spread to every task nobody labelled, delegates included; a labelled task gets none
        assertThat(ours.keySet()).as("labelled tasks get no prediction").doesNotContainAnyElementsOf(annotationOf.keySet());
        assertLabelStudioHoldsWhatTheReviewPageShows();

        until("the project's model version to become " + MODEL_VERSION,
                () -> MODEL_VERSION.equals(client.project(project).modelVersion()));
        List<Task> review = ls.viewTasks(project, view(ProjectSync.REVIEW_VIEW));
        assertThat(review).extracting(Task::id).as("the review tab lists the propagated labels").containsExactlyInAnyOrderElementsOf(ours.keySet());
        List<Double> scores = review.stream().map(t -> ours.get(t.id()).get(0).score()).toList();
        assertThat(scores).as("the review tab, least certain first").isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    @Order(6)
    void aReviewerAcceptsOneLabelAndRejectsAnotherThroughTheBackend() {
        List<Long> proposed = reviewConstituents("proposed");
        assertThat(proposed).hasSizeGreaterThanOrEqualTo(2);
        accepted = proposed.get(0);
        rejected = proposed.get(1);
        Prediction prediction = exemplarPredictions().get(accepted).get(0);

        assertThat(exemplar.accept(project, accepted, pat).path("state").asText()).isEqualTo("accepted");
        Task a = client.task(accepted);
        assertThat(a.annotations()).as("the accepted label is an annotation in Label Studio").hasSize(1);
        assertThat(a.annotations().get(0).path("result")).isEqualTo(prediction.result());

        assertThat(exemplar.reject(project, rejected).path("state").asText()).isEqualTo("rejected");
        until("the rejected prediction to go", () -> !exemplarPredictions().containsKey(rejected));
        assertThat(client.task(rejected).data().path(ProjectSync.ROLE).asText()).as("back in the summary queue").isEqualTo("delegate");
        assertThat(ls.viewTasks(project, view(ProjectSync.SUMMARY_VIEW))).extracting(Task::id).contains(rejected);
    }

    @Test
    @Order(7)
    void importedTasksAreRankedWithTheRest() {
        importTasks(heldBack);
        until("every imported task to get its rank", SYNC,
                () -> client.tasks(project).allMatch(t -> t.data().hasNonNull(ProjectSync.RANK)));
        awaitSync();
        awaitSettled();

        JsonNode result = exemplar.result(project);
        List<Task> tasks = client.tasks(project).toList();
        assertThat(tasks).hasSize(imported.size());
        assertThat(byRank(tasks)).as("all tasks ordered by rank as text").isEqualTo(ids(result.path("order")));
        assertThat(client.task(rejected).data().path(ProjectSync.ROLE).asText()).as("a rejected label stays in the summary queue")
                .isEqualTo("delegate");
        assertLabelStudioHoldsWhatTheReviewPageShows();
    }

    @Test
    @Order(8)
    void deletingAnAnnotationTakesBackWhatItCaused() {
        awaitSettled(); // the counts below are read once what the earlier steps caused is written
        // a delegate whose label no other annotation has: afterwards no prediction may carry it
        Map<Long, String> labels = new HashMap<>();
        annotationOf.keySet().forEach(d -> labels.put(d, labelOf(d)));
        labels.put(accepted, LabelStudioScenario.choiceOf(client.task(accepted).annotations().get(0).path("result")));
        Map<Long, Integer> groupSizes = new HashMap<>();
        for (JsonNode g : exemplar.reviewGroups(project)) groupSizes.put(g.path("delegate").asLong(), g.path("constituents").size());
        long deleted = annotationOf.keySet().stream()
                .filter(d -> Collections.frequency(labels.values(), labels.get(d)) == 1)
                .max(Comparator.comparingInt(d -> groupSizes.getOrDefault(d, 0))).orElseThrow();
        assertThat(groupSizes.getOrDefault(deleted, 0)).as("constituents labelled from delegate " + deleted).isPositive();
        String label = labels.get(deleted);
        int labelledBefore = exemplar.status(project).path("propagation").path("labelled_tasks").asInt();

        ls.deleteAnnotation(annotationOf.remove(deleted));
        awaitPropagation(labelledBefore - 1);
        awaitSettled();

        assertThat(exemplar.reviewGroups(project)).extracting(g -> g.path("delegate").asLong()).doesNotContain(deleted);
        assertThat(exemplarPredictions().values()).flatMap(ps -> ps)
                .as("predictions still saying " + label).noneMatch(p -> label.equals(LabelStudioScenario.choiceOf(p.result())));
        assertLabelStudioHoldsWhatTheReviewPageShows();
    }

    @Test
    @Order(9)
    void removingExemplarThroughTheBackendLeavesEverythingElseAsItWas() {
        awaitSettled();
        Map<Long, Integer> annotations = client.tasks(project).collect(Collectors.toMap(Task::id, Task::totalAnnotations));
        int predictions = exemplarPredictions().size();

        JsonNode removed = exemplar.remove(project);

        assertThat(removed.path("views").asInt()).as("views removed").isGreaterThanOrEqualTo(3);
        assertThat(removed.path("tasks").asInt()).as("tasks whose fields were removed").isEqualTo(imported.size());
        assertThat(removed.path("predictions").asInt()).as("predictions removed").isEqualTo(predictions);
        assertThat(client.views(project)).extracting(View::title).containsExactly("Our own tab");
        List<Task> tasks = client.tasks(project).toList();
        for (Task t : tasks) assertThat(t.data()).as("data of task " + t.id()).isEqualTo(imported.get(t.id()));
        assertThat(tasks.stream().collect(Collectors.toMap(Task::id, Task::totalAnnotations))).as("annotations").isEqualTo(annotations);
        assertThat(exemplarPredictions()).as("Exemplar's predictions").isEmpty();
    }

    @Test
    @Order(10)
    void labelStudioLoggedNoIncorrectPredictionFromTheBackend() throws IOException {
        // the labelling stream asks the backend for predictions of the tasks it serves
        assertThat(exemplar.metrics()).as("the backend's requests").containsPattern("route=\"/predict\",status=\"200\"");
        List<String> lines = logSinceStart();
        assertThat(lines).as("Label Studio's log during the test").noneMatch(l -> l.contains("ML backend returns an incorrect prediction"));
    }

    // ---------------------------------------------------------------- steps

    private void importTasks(List<String> files) {
        List<ObjectNode> data = new ArrayList<>();
        for (String f : files) data.add(images.task(f));
        List<Long> ids = ls.importTasks(project, data);
        for (int i = 0; i < ids.size(); i++) imported.put(ids.get(i), data.get(i));
    }

    /** Until the backend's sync of the project is done and no other is due. */
    private JsonNode awaitSync() {
        return LabelStudioScenario.await("the sync of project " + project, SYNC, POLL, () -> {
            JsonNode s = exemplar.status(project);
            return s != null && s.path("phase").asText().equals("done") && !exemplar.syncing() ? s : null;
        });
    }

    /** Until the backend has taken in {@code labelled} labelled tasks and written every prediction they call for. */
    private void awaitPropagation(int labelled) {
        LabelStudioScenario.await(labelled + " labelled tasks propagated", SOON, POLL, () -> {
            JsonNode p = exemplar.status(project).path("propagation");
            return p.path("labelled_tasks").asInt() == labelled && p.path("to_write").asInt() == 0 ? p : null;
        });
    }

    /**
     * Until nothing has been left to write for two seconds: after a sync, propagation is recomputed over
     * the new links, and what changed is written once changes pause.
     */
    private void awaitSettled() {
        long[] quietSince = {System.nanoTime()};
        until("the predictions to be written", () -> {
            if (exemplar.status(project).path("propagation").path("to_write").asInt() > 0) quietSince[0] = System.nanoTime();
            return System.nanoTime() - quietSince[0] > Duration.ofSeconds(2).toNanos();
        });
    }

    /** Waits for a condition in Label Studio or the backend, which change in the background. */
    private static void until(String what, BooleanSupplier condition) {
        until(what, SOON, condition);
    }

    private static void until(String what, Duration timeout, BooleanSupplier condition) {
        LabelStudioScenario.await(what, timeout, POLL, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    // ---------------------------------------------------------------- reading

    /** Label Studio holds one prediction of Exemplar's on each constituent the review page lists and not rejected, with its label, and none elsewhere. */
    private void assertLabelStudioHoldsWhatTheReviewPageShows() {
        Map<Long, List<String>> shown = new HashMap<>();
        for (JsonNode g : exemplar.reviewGroups(project)) {
            for (JsonNode c : g.path("constituents")) {
                if (c.path("state").asText().equals("rejected")) continue;
                List<String> labels = new ArrayList<>();
                c.path("labels").forEach(x -> labels.add(x.asText()));
                shown.put(c.path("task").asLong(), labels);
            }
        }
        Map<Long, List<Prediction>> ours = exemplarPredictions();
        assertThat(ours.keySet()).as("tasks with a prediction of Exemplar's").isEqualTo(shown.keySet());
        ours.forEach((task, ps) -> {
            assertThat(ps).as("predictions of task " + task).hasSize(1);
            assertThat(List.of(LabelStudioScenario.choiceOf(ps.get(0).result()))).as("label of task " + task).isEqualTo(shown.get(task));
        });
    }

    private List<Long> reviewConstituents(String state) {
        List<Long> out = new ArrayList<>();
        for (JsonNode g : exemplar.reviewGroups(project)) {
            for (JsonNode c : g.path("constituents")) if (c.path("state").asText().equals(state)) out.add(c.path("task").asLong());
        }
        return out;
    }

    /** Exemplar's predictions in Label Studio, by task; tasks without one are left out. */
    private Map<Long, List<Prediction>> exemplarPredictions() {
        Map<Long, List<Prediction>> out = new LinkedHashMap<>();
        ls.predictions(project).forEach((task, ps) -> {
            List<Prediction> ours = ps.stream().filter(p -> MODEL_VERSION.equals(p.modelVersion())).toList();
            if (!ours.isEmpty()) out.put(task, ours);
        });
        return out;
    }

    private String labelOf(long task) {
        return truth.get(imported.get(task).path("source").asText());
    }

    private long view(String title) {
        return client.views(project).stream().filter(v -> title.equals(v.title())).findFirst()
                .orElseThrow(() -> new AssertionError("no view " + title)).id();
    }

    private static List<Long> byRank(List<Task> tasks) {
        return tasks.stream().sorted(Comparator.comparing(t -> t.data().path(ProjectSync.RANK).asText())).map(Task::id).toList();
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asLong()));
        return out;
    }

    private static ObjectNode withoutExemplar(ObjectNode data) {
        ObjectNode copy = data.deepCopy();
        copy.remove(FIELDS);
        return copy;
    }

    private List<String> logSinceStart() throws IOException {
        if (!Files.exists(log)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = f.length() < logStart ? 0 : logStart; // the log was started afresh
            byte[] added = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(added);
            return new String(added, StandardCharsets.UTF_8).lines().toList();
        }
    }
}
