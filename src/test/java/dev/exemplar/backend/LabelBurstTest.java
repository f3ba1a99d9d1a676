package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Labels that arrive while the backend is busy are taken in together: their events are claimed as one
 * burst and the project's wanted predictions are recomputed once for all of them (at 20,000 tasks a
 * recompute takes a second or two, so one a label would fall behind a team), ending where taking them
 * in one by one would have.
 */
class LabelBurstTest {
    @TempDir
    Path dataDir;

    @Test
    void aBurstOfLabelsIsRecomputedOnceAndEndsWhereLabelByLabelWould() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            fx.setUp();
            // Label Studio's own webhooks go nowhere: the test hands the backend the burst itself
            fx.webhookTo("http://127.0.0.1:9/webhook");
            List<Long> ds = LabelSpreadingTest.delegates(fx);
            String[] values = {"a", "b", "c", "a", "b", "c"};
            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                events.add(fx.ls.seed().annotationCreatedEvent(fx.annotate(ds.get(i), SpreadingFixture.choices(values[i]))));
            }
            int before = fx.sync.spreading().recomputes();
            fx.store.transaction(() -> events.forEach(e -> fx.store.events().enqueue(fx.project, "ANNOTATION_CREATED", e.toString())));
            fx.sync.eventQueued();
            fx.awaitPropagation();

            assertThat(fx.sync.spreading().recomputes() - before).as("recomputes for a burst of " + values.length).isEqualTo(1);
            assertThat(fx.store.labels().labelledTasks(fx.project)).containsExactlyInAnyOrderElementsOf(ds.subList(0, values.length));
            Map<Long, List<JsonNode>> predictions = fx.predictions();
            assertThat(predictions).hasSize(fx.imageOf.size() - values.length);
            // what label-by-label handling would end with depends only on the labels known: a recompute from them changes nothing
            fx.sync.spreading().recomputeAll(fx.project);
            assertThat(fx.store.labels().projectsToWrite()).isEmpty();
        }
    }
}
