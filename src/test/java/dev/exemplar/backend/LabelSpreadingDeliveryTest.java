package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.LabelStore;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhooks repeated, reordered, interrupted, or arriving while Label Studio is down: propagation happens once. */
class LabelSpreadingDeliveryTest {
    @TempDir
    Path dataDir;

    /** Exemplar's predictions as a comparable set: task, result and score. */
    static Set<String> snapshot(SpreadingFixture fx) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<Long, List<JsonNode>> e : fx.predictions().entrySet()) {
            for (JsonNode p : e.getValue()) out.add(e.getKey() + " " + p.get("result") + " " + p.get("score").asDouble());
        }
        return out;
    }

    @Test
    void eventsTwiceShuffledWithARestartLeaveWhatOneCleanRunLeaves() throws Exception {
        List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
        try (MockWebServer capture = new MockWebServer();
             SpreadingFixture fx = new SpreadingFixture(dataDir.resolve("a"), LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            capture.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try {
                        events.add(SpreadingFixture.JSON.readTree(request.getBody().readUtf8()));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return new MockResponse().setBody("{}");
                }
            });
            capture.start();
            fx.setUp();
            fx.webhookTo(capture.url("/webhook").toString());

            // what a team does: labels, relabels, deletes, and labels a constituent itself
            List<Long> ds = LabelSpreadingTest.delegates(fx);
            List<Long> annotations = new ArrayList<>();
            for (int i = 0; i < 6; i++) annotations.add(fx.annotate(ds.get(i), SpreadingFixture.choices(i % 2 == 0 ? "a" : "b")));
            fx.api("PATCH", "/api/annotations/" + annotations.get(1), SpreadingFixture.JSON.createObjectNode()
                    .set("result", SpreadingFixture.choices("c")));
            fx.api("PATCH", "/api/annotations/" + annotations.get(2), SpreadingFixture.JSON.createObjectNode()
                    .set("result", SpreadingFixture.choices("b")));
            fx.api("DELETE", "/api/annotations/" + annotations.get(3), null);
            fx.annotate(LabelSpreadingTest.constituents(fx).get(0), SpreadingFixture.choices("c"));
            assertThat(events).hasSize(10);

            for (JsonNode e : events) fx.post("/webhook", e);
            fx.awaitPropagation();
            Set<String> clean = snapshot(fx);
            assertThat(clean).isNotEmpty();

            // the same project, a backend from scratch, Label Studio without the first run's predictions
            for (Map.Entry<Long, List<JsonNode>> e : fx.predictions().entrySet()) {
                for (JsonNode p : e.getValue()) fx.client.deletePrediction(p.get("id").asLong());
            }
            fx.replaceBackend(dataDir.resolve("b"));
            fx.setUp();
            List<JsonNode> twice = new ArrayList<>(events);
            twice.addAll(events);
            Collections.shuffle(twice, new Random(7));
            for (int i = 0; i < twice.size(); i++) {
                fx.post("/webhook", twice.get(i));
                if (i == twice.size() / 2) fx.restart();
            }
            fx.awaitPropagation();
            assertThat(snapshot(fx)).isEqualTo(clean);
            assertThat(fx.predictions().values()).allSatisfy(ps -> assertThat(ps).hasSize(1));
        }
    }

    @Test
    void annotationsDuringAnOutageArePropagatedOnceWhenLabelStudioIsBack() throws Exception {
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            fx.setUp();
            List<Long> ds = LabelSpreadingTest.delegates(fx);
            List<Seed.SeededUser> people = new ArrayList<>();
            for (int i = 0; i < 20; i++) people.add(fx.ls.seed().user("annotator" + i + "@example.com"));
            List<JsonNode> events = new ArrayList<>();
            String[] labels = {"a", "b", "c"};
            for (int i = 0; i < 200; i++) {
                long a = fx.ls.seed().annotation(ds.get(i % ds.size()), people.get(i % people.size()),
                        SpreadingFixture.choices(labels[(i / ds.size()) % 3 == 0 ? 0 : i % 3]), false);
                events.add(fx.ls.seed().annotationCreatedEvent(a));
            }

            fx.ls.stop(); // connections refused from now on
            long down = System.nanoTime();
            for (JsonNode e : events) fx.post("/webhook", e);
            while (System.nanoTime() - down < Duration.ofSeconds(30).toNanos()) Thread.sleep(200);
            assertThat(fx.store.labels().projectsToWrite()).as("work waits while Label Studio is down").contains(fx.project);
            fx.ls.resume();
            fx.awaitPropagation();

            Map<Long, List<JsonNode>> predictions = fx.predictions();
            List<LabelStore.SpreadLabel> wanted = fx.store.labels().spreadLabels(fx.project).stream()
                    .filter(p -> p.wanted() != null).toList();
            assertThat(wanted).isNotEmpty();
            assertThat(predictions).hasSize(wanted.size());
            long lowest = Long.MAX_VALUE, highest = 0;
            for (LabelStore.SpreadLabel p : wanted) {
                List<JsonNode> ps = predictions.get(p.task());
                assertThat(ps).as("task " + p.task()).hasSize(1);
                assertThat(ps.get(0).get("result")).isEqualTo(p.wanted().result());
                lowest = Math.min(lowest, ps.get(0).get("id").asLong());
                highest = Math.max(highest, ps.get(0).get("id").asLong());
            }
            assertThat(highest - lowest + 1).as("no prediction created twice, none created and dropped").isEqualTo(wanted.size());
        }
    }
}
