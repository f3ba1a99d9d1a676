package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.backend.ProjectSync;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.propagation.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static dev.exemplar.cli.BenchCommand.LabelStudio.median;
import static dev.exemplar.cli.BenchCommand.round;

/**
 * {@code bench queue}: the effort of {@code simulate}, measured through Label Studio with the backend as a
 * team meets it. Per queue order, a project of the images is made and synced; an annotator labels what
 * the summary tab serves next with its true label, up to each share of the tasks; there, once the
 * backend's predictions are written, the predictions Label Studio holds are scored as {@code simulate}
 * scores its own: coverage and accuracy by confidence, the recommended confidence and the effort. The
 * queue orders run side by side, alternating which goes first from run to run.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "The labelling effort through a Label Studio, per summary queue order, side by side: labels what the summary "
                + "tab serves up to each share of the tasks and scores the predictions Label Studio then holds.")
final class QueueBench implements Callable<Integer> {
    static final Duration SYNC_LIMIT = Duration.ofMinutes(30), SETTLE_LIMIT = Duration.ofMinutes(10);

    @CommandLine.Mixin
    LabelledImages source;

    @Option(names = "--queues", split = ",", defaultValue = "summary,adaptive",
            description = "Queue orders, each on its own project (default: ${DEFAULT-VALUE}).")
    List<QueueOrder> queues;

    @Option(names = "--percent", split = ",", paramLabel = "P", defaultValue = "5,10,20,30",
            description = "Shares of the tasks labelled at which the effort is measured (default: ${DEFAULT-VALUE}).")
    int[] percents;

    @Option(names = "--target-accuracy", defaultValue = "0.95", description = "How often trusted labels must be right (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--runs", defaultValue = "1", description = "Runs of every queue order (default: ${DEFAULT-VALUE}).")
    int runs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || queues.isEmpty() || Arrays.stream(percents).anyMatch(p -> p <= 0 || p > 100)) {
            throw new CliFailure("--runs must be positive, --queues name at least one order and every --percent be from 1 to 100");
        }
        int[] shares = Arrays.stream(percents).sorted().distinct().toArray();
        Map<String, String> truth = source.truth();
        LabelStudioScenario ls = new LabelStudioScenario(source.url, source.key);
        Map<QueueOrder, List<List<Simulation.Outcome>>> outcomes = new LinkedHashMap<>();
        List<Map<String, Object>> runFigures = new ArrayList<>();
        int count;
        try (LabelStudioScenario.ImageFolder folder = new LabelStudioScenario.ImageFolder(source.images)) {
            count = folder.names().size();
            source.checkLabelled(folder.names(), truth);
            for (int r = 0; r < runs; r++) {
                for (int q = 0; q < queues.size(); q++) {
                    QueueOrder order = queues.get((q + r) % queues.size()); // who goes first alternates
                    Run run = new Run(r + 1, order, ls, folder, truth, shares);
                    outcomes.computeIfAbsent(order, k -> new ArrayList<>()).add(run.measure());
                    runFigures.add(run.figures);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "queue");
        out.put("label_studio", source.url);
        out.put("images", count);
        out.put("runs", runs);
        out.put("target_accuracy", target);
        Map<String, Object> byQueue = new LinkedHashMap<>(), effort = new LinkedHashMap<>();
        outcomes.forEach((order, perRun) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < shares.length; i++) {
                int at = i;
                List<Simulation.Outcome> these = perRun.stream().map(o -> o.get(at)).toList();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("percent", shares[i]);
                row.put("labelled", median(these.stream().map(o -> (Number) o.labelled()).toList()));
                row.put("effort", median(these.stream().map(o -> (Number) o.effort()).toList()));
                row.put("recommended_confidence", median(these.stream().map(o -> (Number) (Double.isNaN(o.recommendedConfidence())
                        ? null : o.recommendedConfidence())).toList()));
                row.put("coverage", median(these.stream().map(o -> (Number) o.coverage()).toList()));
                row.put("accuracy", median(these.stream().map(o -> (Number) (Double.isNaN(o.accuracy()) ? null : o.accuracy())).toList()));
                row.put("calibrated", these.stream().allMatch(Simulation.Outcome::calibrated));
                rows.add(row);
            }
            String name = order.name().toLowerCase(Locale.ROOT);
            byQueue.put(name, rows);
            effort.put(name, rows.stream().map(r -> (Double) r.get("effort")).filter(java.util.Objects::nonNull).min(Double::compare).orElse(null));
        });
        out.put("by_queue", byQueue);
        out.put("effort", effort);
        out.put("run_figures", runFigures);
        spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(out));
        return 0;
    }

    /** One queue order on one project, from creation to deletion, with its own backend and data folder. */
    private final class Run {
        private final int number;
        private final QueueOrder order;
        private final LabelStudioScenario ls;
        private final LabelStudioScenario.ImageFolder folder;
        private final Map<String, String> truth;
        private final int[] shares;
        private final String modelVersion = LabelStudioScenario.Exemplar.modelVersion();
        final Map<String, Object> figures = new LinkedHashMap<>();
        private LabelStudioScenario.Exemplar exemplar;
        private long project;

        Run(int number, QueueOrder order, LabelStudioScenario ls, LabelStudioScenario.ImageFolder folder, Map<String, String> truth,
            int[] shares) {
            this.number = number;
            this.order = order;
            this.ls = ls;
            this.folder = folder;
            this.truth = truth;
            this.shares = shares;
        }

        List<Simulation.Outcome> measure() throws IOException {
            figures.put("run", number);
            figures.put("queue", order.name().toLowerCase(Locale.ROOT));
            Path data = Files.createTempDirectory("exemplar-bench-queue");
            List<Simulation.Outcome> out = new ArrayList<>();
            try (LabelStudioScenario.Exemplar backend = LabelStudioScenario.Exemplar.start(source.url, source.key, data,
                    Map.of("EXEMPLAR_QUEUE", order.name().toLowerCase(Locale.ROOT)))) {
                exemplar = backend;
                // Label Studio takes titles of up to 50 characters
                project = ls.createProject("Queue " + figures.get("queue") + " run " + number + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        new TreeSet<>(truth.values()));
                try {
                    List<ObjectNode> tasks = new ArrayList<>();
                    for (String file : folder.names()) tasks.add(folder.task(file));
                    ls.importTasks(project, tasks);
                    long start = System.nanoTime();
                    ls.connectBackend(project, exemplar.url(), "Exemplar");
                    LabelStudioScenario.await("the first sync of project " + project, SYNC_LIMIT, Duration.ofMillis(250), () -> {
                        JsonNode s = exemplar.status(project);
                        if (s != null && !s.path("last_error").isNull()) throw new IllegalStateException("the sync failed: " + s.path("last_error").asText());
                        return s != null && s.path("phase").asText().equals("done") ? s : null;
                    });
                    figures.put("sync_seconds", round((System.nanoTime() - start) / 1e9, 3));
                    long view = ls.client().views(project).stream().filter(v -> ProjectSync.SUMMARY_VIEW.equals(v.title())).findFirst()
                            .orElseThrow(() -> new IllegalStateException("project " + project + " has no view " + ProjectSync.SUMMARY_VIEW)).id();
                    int labelled = 0;
                    long labelling = 0;
                    List<Map<String, Object>> points = new ArrayList<>();
                    for (int p : shares) {
                        int wanted = (int) Math.ceil(tasks.size() * p / 100.0);
                        long from = System.nanoTime();
                        labelled = labelUpTo(view, labelled, wanted);
                        labelling += System.nanoTime() - from;
                        Simulation.Outcome o = score(p, tasks.size(), labelled);
                        out.add(o);
                        points.add(Map.of("percent", p, "labelled", labelled, "effort", round(o.effort(), 4), "coverage", round(o.coverage(), 4),
                                "calibrated", o.calibrated()));
                        say(figures.get("queue") + " at " + p + "%: " + labelled + " labelled, effort " + round(o.effort(), 4) + ", coverage "
                                + round(o.coverage(), 4) + " at confidence " + o.recommendedConfidence() + ", calibrated " + o.calibrated());
                    }
                    figures.put("labelling_seconds", round(labelling / 1e9, 3));
                    figures.put("points", points);
                } finally {
                    ls.deleteProject(project);
                }
            } finally {
                LabelStudioScenario.deleteTree(data);
            }
            return out;
        }

        /**
         * Labels what the summary tab serves next until {@code wanted} are labelled; after each label, waits until the
         * backend has taken it in and Label Studio holds the queue it calls for, as a person at the labelling stream would
         * meet it (the predictions it writes meanwhile are not waited for).
         */
        private int labelUpTo(long view, int labelled, int wanted) {
            while (labelled < wanted) {
                Optional<Task> next = ls.nextTask(project, view);
                if (next.isEmpty()) {
                    say("the summary tab ran out after " + labelled + " labels");
                    return labelled;
                }
                ls.annotate(next.get().id(), truth.get(next.get().data().path("source").asText()));
                int now = ++labelled;
                LabelStudioScenario.await("label " + now + " to be taken in", SETTLE_LIMIT, Duration.ofMillis(50), () -> {
                    JsonNode s = exemplar.status(project);
                    return s.path("propagation").path("labelled_tasks").asInt() >= now && !s.path("queue").path("to_write").asBoolean()
                            ? Boolean.TRUE : null;
                });
            }
            return labelled;
        }

        /** Once every prediction is written: the predictions Label Studio holds on unlabelled tasks, judged as simulate judges. */
        private Simulation.Outcome score(int percent, int tasks, int labelled) {
            exemplar.awaitWritten(project, SETTLE_LIMIT);
            List<Task> all = ls.client().tasks(project).toList();
            Map<Long, List<Prediction>> predictions = ls.client().predictions(project, all.stream().map(Task::id).toList());
            List<Simulation.Observation> seen = new ArrayList<>();
            for (Task t : all) {
                if (t.totalAnnotations() > 0) continue;
                Optional<Prediction> p = predictions.getOrDefault(t.id(), List.of()).stream()
                        .filter(x -> modelVersion.equals(x.modelVersion())).findFirst();
                if (p.isEmpty()) continue;
                boolean right = truth.get(t.data().path("source").asText()).equals(LabelStudioScenario.choiceOf(p.get().result()));
                boolean delegate = "delegate".equals(t.data().path(ProjectSync.ROLE).asText());
                seen.add(new Simulation.Observation((int) t.id(), delegate, p.get().score() == null ? 0 : p.get().score(), right));
            }
            return Simulation.judge(percent, tasks, labelled, seen, target);
        }

        private void say(String line) {
            spec.commandLine().getErr().println("run " + number + ": " + line);
        }
    }
}
