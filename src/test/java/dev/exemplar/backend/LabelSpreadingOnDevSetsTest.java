package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.store.Role;
import dev.exemplar.store.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A labelling team on a development set: delegates labelled with their true label through Label
 * Studio's API in queue order, 10% of the project in all; the propagated labels are scored
 * against the truth.
 */
class LabelSpreadingOnDevSetsTest {
    static final Path DATASETS = Path.of("../shared/datasets");

    record Figures(int constituents, int propagated, int right, Map<Double, int[]> byConfidence) {
        double coverage() { return propagated / (double) constituents; }
        double accuracy() { return right / (double) propagated; }
        double coverageAt(double c) { return byConfidence.get(c)[0] / (double) constituents; }
        double accuracyAt(double c) { return byConfidence.get(c)[1] / (double) byConfidence.get(c)[0]; }
    }

    @Test
    void classesDevMeetsTheAccuracyAndCoverageTargets(@TempDir Path dataDir) throws Exception {
        Figures f = labelTenPercent(dataDir, "classes-dev", "class");
        assertThat(f.accuracyAt(0.8)).as("accuracy at confidence >= 0.8").isGreaterThanOrEqualTo(0.95);
        assertThat(f.coverageAt(0.8)).as("constituents at confidence >= 0.8").isGreaterThanOrEqualTo(0.05);
        assertThat(f.accuracy()).as("overall accuracy").isGreaterThanOrEqualTo(0.43);
        assertThat(f.coverage()).as("coverage, against the reference's 0.507").isGreaterThanOrEqualTo(0.507);
    }

    @Test
    void roomsDevScenesAreMeasured(@TempDir Path dataDir) throws Exception {
        Figures f = labelTenPercent(dataDir, "rooms-dev", "group");
        // the confidence must mean what it says here too
        for (double c : new double[] {0.5, 0.8}) {
            if (f.byConfidence().get(c)[0] >= 20) assertThat(f.accuracyAt(c)).as("accuracy at confidence >= " + c).isGreaterThanOrEqualTo(c);
        }
    }

    private Figures labelTenPercent(Path dataDir, String dataset, String column) throws Exception {
        Path root = DATASETS.resolve(dataset);
        assumeTrue(Files.isDirectory(root), "the development datasets are beside the repository");
        Map<String, String> truth = new HashMap<>();
        List<String> lines = Files.readAllLines(root.resolve("truth.csv"));
        int col = List.of(lines.get(0).split(",")).indexOf(column);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            truth.put(f[0].substring(f[0].lastIndexOf('/') + 1), f[col]);
        }
        List<Path> images;
        try (Stream<Path> files = Files.list(root.resolve("images"))) {
            images = files.sorted().toList();
        }
        StringBuilder config = new StringBuilder("<View><Image name=\"image\" value=\"$image\"/><Choices name=\"label\" toName=\"image\">");
        for (String label : new TreeSet<>(truth.values())) config.append("<Choice value=\"").append(label).append("\"/>");
        config.append("</Choices></View>");
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, images, config.toString())) {
            fx.setUp();
            List<TaskStore.Task> ranked = fx.tasks();
            int k = (int) Math.ceil(ranked.size() * 0.10);
            for (TaskStore.Task t : ranked.subList(0, k)) {
                assertThat(t.role()).isEqualTo(Role.DELEGATE);
                fx.annotate(t.taskId(), SpreadingFixture.choices(truth.get(fx.imageOf.get(t.taskId()))));
            }
            fx.awaitPropagation();
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            int constituents = 0, propagated = 0, right = 0;
            Map<Double, int[]> at = new java.util.LinkedHashMap<>();
            for (double c : new double[] {0, 0.5, 0.8, 0.9}) at.put(c, new int[2]);
            for (TaskStore.Task t : ranked) {
                if (t.role() != Role.CONSTITUENT) continue;
                constituents++;
                List<JsonNode> ps = predictions.getOrDefault(t.taskId(), List.of());
                if (ps.isEmpty()) continue;
                assertThat(ps).as("one prediction per constituent").hasSize(1);
                propagated++;
                String label = ps.get(0).at("/result/0/value/choices/0").asText();
                boolean ok = label.equals(truth.get(fx.imageOf.get(t.taskId())));
                if (ok) right++;
                double score = ps.get(0).get("score").asDouble();
                for (var e : at.entrySet()) {
                    if (score >= e.getKey()) {
                        e.getValue()[0]++;
                        if (ok) e.getValue()[1]++;
                    }
                }
            }
            for (TaskStore.Task t : ranked.subList(0, k)) assertThat(predictions).doesNotContainKey(t.taskId());
            // the delegates nobody labelled get spread labels too
            int delegates = 0, delegatesPropagated = 0, delegatesRight = 0, delegatesAt8 = 0, delegatesRightAt8 = 0;
            for (TaskStore.Task t : ranked.subList(k, ranked.size())) {
                if (t.role() != Role.DELEGATE) continue;
                delegates++;
                List<JsonNode> ps = predictions.getOrDefault(t.taskId(), List.of());
                if (ps.isEmpty()) continue;
                delegatesPropagated++;
                boolean ok = ps.get(0).at("/result/0/value/choices/0").asText().equals(truth.get(fx.imageOf.get(t.taskId())));
                if (ok) delegatesRight++;
                if (ps.get(0).get("score").asDouble() >= 0.8) {
                    delegatesAt8++;
                    if (ok) delegatesRightAt8++;
                }
            }
            System.out.printf("%s: %d unlabelled delegates, %d propagated, accuracy %.3f; confidence >= 0.8: %d, accuracy %.3f%n", dataset,
                    delegates, delegatesPropagated, delegatesRight / (double) Math.max(1, delegatesPropagated), delegatesAt8,
                    delegatesRightAt8 / (double) Math.max(1, delegatesAt8));
            Figures f = new Figures(constituents, propagated, right, at);
            StringBuilder line = new StringBuilder(String.format("%s: %d labelled, %d constituents;", dataset, k, constituents));
            for (var e : at.entrySet()) {
                line.append(String.format(" confidence >= %.1f: coverage %.3f accuracy %.3f;", e.getKey(),
                        e.getValue()[0] / (double) constituents, e.getValue()[0] == 0 ? Double.NaN : e.getValue()[1] / (double) e.getValue()[0]));
            }
            System.out.println(line);
            return f;
        }
    }
}
