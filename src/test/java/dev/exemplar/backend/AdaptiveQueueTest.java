package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.propagation.AdaptiveQueue;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.store.OrderStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The summary queue worked adaptively ({@code EXEMPLAR_QUEUE=adaptive}) in the stand-in Label Studio, on
 * the bundled sample (36 photographs of 14 scenes; a batch is 1% of the tasks, so one label): once a
 * batch is labelled, the summary tab serves first the delegate whose label would settle the most that
 * is still uncertain, as {@link AdaptiveQueue} ranks them from the confidences Label Studio shows, at the
 * cost of a few task writes; with the summary queue nothing moves.
 */
class AdaptiveQueueTest {
    @TempDir
    Path dataDir;

    @Test
    void afterEachBatchTheSummaryTabServesTheDelegateWhoseLabelWouldSettleTheMost() throws Exception {
        Map<String, String> scene = LabelsSpreadOverTheGraphTest.scenes();
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(),
                LabelsSpreadOverTheGraphTest.config(new TreeSet<>(scene.values())), QueueOrder.ADAPTIVE)) {
            fx.setUp();
            List<Long> delegates = LabelSpreadingTest.delegates(fx);
            assertThat(next(fx)).as("before any label: the summary order").isEqualTo(delegates.get(0));
            List<Long> labelled = new ArrayList<>();
            int moved = 0;
            for (int batch = 1; batch <= 5; batch++) {
                long served = next(fx);
                long writesBefore = fx.sync.calls().count("PATCH", "tasks");
                fx.annotate(served, SpreadingFixture.choices(scene.get(fx.imageOf.get(served))));
                labelled.add(served);
                fx.awaitPropagation();

                JsonNode queue = fx.get("/projects/" + fx.project + "/status").path("queue");
                assertThat(queue.path("order").asText()).isEqualTo("adaptive");
                assertThat(queue.path("front")).as("a batch of one").hasSize(1);
                long front = queue.path("front").get(0).asLong();
                assertThat(delegates).as("the front is a delegate").contains(front);
                assertThat(labelled).as("the front is not labelled").doesNotContain(front);
                assertThat(front).as("the delegate the adaptive queue ranks first, from Label Studio's predictions")
                        .isEqualTo(expectedFront(fx, labelled, delegates));
                assertThat(next(fx)).as("what the summary tab serves after batch " + batch).isEqualTo(front);
                long writes = fx.sync.calls().count("PATCH", "tasks") - writesBefore;
                System.out.println("batch " + batch + ": front " + front + " (summary rank " + delegates.indexOf(front) + "), " + writes + " task writes");
                // nothing to write when the front is the summary queue's next anyway
                boolean summaryNext = delegates.stream().filter(d -> !labelled.contains(d)).findFirst().orElseThrow() == front;
                if (!summaryNext) moved++;
                assertThat(writes).as("task writes to put one task first").isBetween(summaryNext ? 0L : 1L, 3L);
            }
            assertThat(moved).as("batches whose front the summary order would have served later").isPositive();
        }
    }

    @Test
    void theSummaryQueueServesTheSummaryOrderAndWritesNoTaskAsLabelsComeIn() throws Exception {
        Map<String, String> scene = LabelsSpreadOverTheGraphTest.scenes();
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(),
                LabelsSpreadOverTheGraphTest.config(new TreeSet<>(scene.values())))) {
            fx.setUp();
            List<Long> delegates = LabelSpreadingTest.delegates(fx);
            long writesBefore = fx.sync.calls().count("PATCH", "tasks");
            for (int i = 0; i < 3; i++) {
                long served = next(fx);
                assertThat(served).isEqualTo(delegates.get(i));
                fx.annotate(served, SpreadingFixture.choices(scene.get(fx.imageOf.get(served))));
                fx.awaitPropagation();
            }
            assertThat(fx.get("/projects/" + fx.project + "/status").path("queue").path("front")).isEmpty();
            assertThat(fx.sync.calls().count("PATCH", "tasks")).isEqualTo(writesBefore);
        }
    }

    @Test
    void theFrontStaysFirstAcrossARestartAndASync() throws Exception {
        Map<String, String> scene = LabelsSpreadOverTheGraphTest.scenes();
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(),
                LabelsSpreadOverTheGraphTest.config(new TreeSet<>(scene.values())), QueueOrder.ADAPTIVE)) {
            fx.setUp();
            long first = next(fx);
            fx.annotate(first, SpreadingFixture.choices(scene.get(fx.imageOf.get(first))));
            fx.awaitPropagation();
            long front = fx.store.queue().front(fx.project).tasks().get(0);
            assertThat(next(fx)).isEqualTo(front);

            fx.restart();
            fx.sync.schedule(fx.project); // a sync writes every task's queue fields afresh
            assertThat(fx.sync.awaitIdle(Duration.ofSeconds(120))).isTrue();
            fx.awaitPropagation();
            assertThat(fx.store.queue().front(fx.project).tasks()).containsExactly(front);
            assertThat(next(fx)).as("served first after the restart and the sync").isEqualTo(front);
        }
    }

    /** The task Label Studio's summary tab serves next, as the labelling stream asks for it. */
    private static long next(SpreadingFixture fx) throws Exception {
        long view = fx.store.views().get(fx.project, "summary").orElseThrow();
        JsonNode task = fx.api("POST", "/api/dm/actions?id=next_task&project=" + fx.project,
                SpreadingFixture.JSON.createObjectNode().put("view", view));
        return task.path("id").asLong();
    }

    /**
     * The unlabelled delegate {@link AdaptiveQueue} puts first, given the stored graph and the confidence of each
     * task's prediction in Label Studio (1 where labelled, 0 where it has none).
     */
    private static long expectedFront(SpreadingFixture fx, List<Long> labelled, List<Long> delegates) {
        OrderStore.StoredGraph stored = fx.store.orders().graph(fx.project).orElseThrow();
        List<Long> tasks = stored.tasks();
        int n = tasks.size(), degree = stored.graph().degree();
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < n; i++) position.put(tasks.get(i), i);
        int[] ids = new int[n * degree];
        for (int k = 0; k < ids.length; k++) ids[k] = position.get(stored.graph().neighbours()[k]);
        Map<Long, List<JsonNode>> predictions = fx.predictions();
        double[] confidence = new double[n];
        boolean[] open = new boolean[n];
        for (int i = 0; i < n; i++) {
            long t = tasks.get(i);
            List<JsonNode> p = predictions.get(t);
            confidence[i] = labelled.contains(t) ? 1 : p == null ? 0 : p.get(0).path("score").asDouble();
            open[i] = delegates.contains(t) && !labelled.contains(t);
        }
        int[] first = AdaptiveQueue.next(degree, ids, stored.graph().similarities(), confidence, open, n, 1);
        return tasks.get(first[0]);
    }
}
