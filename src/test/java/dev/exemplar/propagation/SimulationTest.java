package dev.exemplar.propagation;

import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulationTest {
    /** n labels at confidence c, the first {@code right} of them right. */
    private static List<Simulation.Observation> labels(int n, double c, int right) {
        List<Simulation.Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Simulation.Observation(i, false, c, i < right));
        return out;
    }

    @Test
    void trustsLabelsFromTheLowestConfidenceWhoseLabelsMeetTheTarget() {
        List<Simulation.Observation> seen = new ArrayList<>();
        seen.addAll(labels(40, 0.9, 40)); // all right
        seen.addAll(labels(40, 0.6, 30)); // 3 in 4 right
        seen.addAll(labels(20, 0.3, 0));  // all wrong
        // 100 items, 10 labelled by people, 90 left: at >= 0.6, 70 of 80 right (0.875); at >= 0.9, 40 of 40
        Simulation.Outcome o = Simulation.judge(10, 100, 10, seen, 0.95);

        assertThat(o.recommendedConfidence()).isEqualTo(0.9);
        assertThat(o.coverage()).isCloseTo(40 / 90.0, within(1e-12));
        assertThat(o.accuracy()).isEqualTo(1.0);
        // people label the 10 and the 50 not trusted
        assertThat(o.effort()).isCloseTo(0.60, within(1e-12));
        assertThat(o.curve()).extracting(Simulation.Point::confidence).containsExactly(0.3, 0.6, 0.9);
        assertThat(o.curve().get(1).accuracy()).isCloseTo(0.875, within(1e-12));
        // at >= 0.3, 70 of 100 right; at >= 0.6, 0.875: each at least what its confidence promised
        assertThat(o.calibrated()).isTrue();
    }

    @Test
    void aTargetNoConfidenceMeetsLeavesEveryUnlabelledItemToPeople() {
        Simulation.Outcome o = Simulation.judge(5, 200, 10, labels(100, 0.8, 60), 0.95);

        assertThat(o.recommendedConfidence()).isNaN();
        assertThat(o.effort()).isEqualTo(1.0);
        // 60 right of 100 labelled with confidence 0.8: the confidence promised more than it kept
        assertThat(o.calibrated()).isFalse();
    }

    @Test
    void tooFewLabelsAtAConfidenceSayNothingAboutIt() {
        List<Simulation.Observation> seen = new ArrayList<>(labels(Simulation.MIN_LABELS_TO_JUDGE - 1, 0.99, 0));
        seen.addAll(labels(30, 0.5, 30));
        Simulation.Outcome o = Simulation.judge(10, 100, 10, seen, 0.95);

        // at >= 0.99 the labels are all wrong, but too few to judge: not a calibration failure, not trusted either
        assertThat(o.calibrated()).isTrue();
        // at >= 0.5: 30 right of 49 (0.61, as promised), below the target
        assertThat(o.recommendedConfidence()).isNaN();
    }

    @Test
    void theQueueIsLabelledInOrderPassingOverItemsWithoutAKnownLabel() {
        // a0 and a1 are the summary; c0..c3 are linked to one of them each, and the graph holds two groups,
        // {a0, c0, c2} and {a1, c1, c3}, each item listing the other two of its own
        List<String> order = List.of("a0", "a1", "c0", "c1", "c2", "c3");
        Map<String, List<Result.Link>> links = new HashMap<>();
        Map<String, List<Pipeline.Candidate>> near = new HashMap<>();
        for (int c = 0; c < 4; c++) {
            String delegate = "a" + (c % 2);
            links.put("c" + c, List.of(new Result.Link(delegate, 1.0)));
            near.put("c" + c, List.of(new Pipeline.Candidate(delegate, 0.99)));
        }
        Result r = new Result(order, 2, links, List.of(), List.of());
        Pipeline.Neighbours graph = new Pipeline.Neighbours(2, new int[] {2, 4, 3, 5, 0, 4, 1, 5, 0, 2, 1, 3},
                new float[] {0.99f, 0.98f, 0.99f, 0.98f, 0.99f, 0.98f, 0.99f, 0.98f, 0.99f, 0.98f, 0.99f, 0.98f});
        Map<String, String> truth = Map.of("a1", "B", "c0", "A", "c1", "B", "c2", "A", "c3", "A");

        // 20 % of the 5 items with a label: one label, on a1 (a0's label is not known, so it is passed over)
        Simulation.Outcome o = Simulation.run(r, near, graph, truth::get, new int[] {20}, 0.95, QueueOrder.SUMMARY).get(0);

        assertThat(o.items()).isEqualTo(5);
        assertThat(o.labelled()).isEqualTo(1);
        // a1's label B reaches its own group only: c1 is B, c3 is A (a0 gets nothing, and is not scored either way)
        assertThat(o.observations()).extracting(Simulation.Observation::item).containsExactlyInAnyOrder(3, 5);
        assertThat(o.observations()).extracting(Simulation.Observation::right).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void theAdaptiveQueueLabelsWhereNoLabelHasReachedYet() {
        // two groups of four, {0..3} and {4..7}, each item listing the other three of its own; all eight are the summary,
        // in the order 0, 1, 2, ... so the summary queue labels three of the first group before any of the second
        int n = 8, degree = 3;
        List<String> order = java.util.stream.IntStream.range(0, n).mapToObj(i -> "i" + i).toList();
        int[] ids = new int[n * degree];
        float[] sims = new float[n * degree];
        for (int i = 0; i < n; i++) {
            int t = 0;
            for (int j = i / 4 * 4; j < i / 4 * 4 + 4; j++) {
                if (j == i) continue;
                ids[i * degree + t] = j;
                sims[i * degree + t++] = 0.95f;
            }
        }
        Result r = new Result(order, n, Map.of(), List.of(), List.of());
        Pipeline.Neighbours graph = new Pipeline.Neighbours(degree, ids, sims);
        Map<String, String> truth = new HashMap<>();
        for (int i = 0; i < n; i++) truth.put("i" + i, i < 4 ? "A" : "B");

        Simulation.Labelling inOrder = Simulation.labelling(r, Map.of(), graph, truth::get, 25, QueueOrder.SUMMARY);
        // batches of one (1% of 8 items, rounded up): after item 0, the other group is where nothing is known
        Simulation.Labelling adaptive = Simulation.labelling(r, Map.of(), graph, truth::get, 25, QueueOrder.ADAPTIVE);

        assertThat(inOrder.known()).containsExactly(0, 0, -1, -1, -1, -1, -1, -1);
        assertThat(adaptive.labelled()).isEqualTo(2);
        assertThat(adaptive.known()[0]).isEqualTo(0);
        assertThat(adaptive.known()[4]).as("the first of the other group, by the summary order").isEqualTo(1);
    }
}
