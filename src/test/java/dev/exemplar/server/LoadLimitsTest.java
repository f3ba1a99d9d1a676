package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.backend.Service;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.store.EventQueue;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.ReviewState;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What keeps the backend answering under a flood: the event queue's cap, /predict's bound, and /predict's answers from one read. */
class LoadLimitsTest extends ServerFixture {
    private static final String EVENT = "{\"action\": \"ANNOTATION_CREATED\", \"project\": {\"id\": 3}}";

    @Test
    void aWebhookPastTheQueueCapIsRefusedWith503AndNotKept() throws IOException {
        store = Store.open(dataDir, Store.Options.DEFAULTS.withMaxPendingEvents(2));
        start(Map.of());
        assertThat(call("POST", "/webhook", EVENT, null).status()).isEqualTo(200);
        assertThat(call("POST", "/webhook", EVENT, null).status()).isEqualTo(200);

        Answer refused = call("POST", "/webhook", EVENT, null);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().header("Retry-After")).isEqualTo("1");
        assertThat(refused.body().get("error").asText()).contains("event queue is full").contains("not kept");
        assertThat(store.events().counts().get(EventQueue.State.QUEUED)).isEqualTo(2);
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void predictAnswersEveryTaskOfAPageInOrderFromItsProject() throws IOException {
        store = Store.open(dataDir);
        LabelStore labels = store.labels();
        JsonNode cat = JSON.readTree("[{\"type\": \"choices\", \"value\": {\"choices\": [\"cat\"]}}]");
        JsonNode dog = JSON.readTree("[{\"type\": \"choices\", \"value\": {\"choices\": [\"dog\"]}}]");
        written(labels, 12, 5, cat, 0.8);
        written(labels, 13, 7, dog, 0.6);
        written(labels, 12, 8, dog, 0.7);
        labels.state(12, 8, ReviewState.REJECTED);
        labels.want(12, 9, new LabelStore.Suggestion(cat, 0.9), List.of("cat"), 0.9, Map.of(1L, 1.0)); // not yet written
        start(Map.of());

        Answer a = call("POST", "/predict", """
                {"project": "12.1718030005", "tasks": [{"id": 5}, {"id": 6}, {"id": 7, "project": 13}, {"id": 7}, {"id": 8}, {"id": 9},
                 {"id": "x"}, {"id": 5}]}""", null);

        assertThat(a.status()).isEqualTo(200);
        JsonNode results = a.body().get("results");
        assertThat(results).hasSize(8);
        assertThat(results.get(0).get(0).get("result")).isEqualTo(cat);
        assertThat(results.get(0).get(0).get("score").asDouble()).isEqualTo(0.8);
        assertThat(results.get(0).get(0).get("model_version").asText()).isEqualTo(Manifest.load().modelVersion());
        assertThat(results.get(1)).as("no label").isEmpty();
        assertThat(results.get(2).get(0).get("result")).as("the task's own project").isEqualTo(dog);
        assertThat(results.get(3)).as("task 7 of project 12 has none").isEmpty();
        assertThat(results.get(4)).as("rejected on review").isEmpty();
        assertThat(results.get(5)).as("not yet written to Label Studio").isEmpty();
        assertThat(results.get(6)).as("no task id").isEmpty();
        assertThat(results.get(7).get(0).get("result")).as("asked twice, answered twice").isEqualTo(cat);
    }

    @Test
    void predictBeyondItsBoundIsAnswered503WhileOthersAreBeingAnswered() throws Exception {
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        Service slow = (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class}, (p, m, args) -> {
            if (m.getName().equals("review")) return Optional.empty();
            if (!m.getName().equals("predict")) throw new UnsupportedOperationException(m.getName());
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return List.of(List.of());
        });
        server = new BackendServer(new Settings(Manifest.load(), Map.<String, String>of()::get), slow, 1);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        String body = "{\"project\": \"1.2\", \"tasks\": [{\"id\": 1}]}";
        CompletableFuture<Answer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return call("POST", "/predict", body, null);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        Answer second = call("POST", "/predict", body, null);

        assertThat(second.status()).isEqualTo(503);
        assertThat(second.raw().header("Retry-After")).isEqualTo("1");
        assertThat(second.body().get("error").asText()).contains("ask again");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(call("POST", "/predict", body, null).status()).as("the bound is freed again").isEqualTo(200);
    }

    private static void written(LabelStore labels, long project, long task, JsonNode result, double score) {
        LabelStore.Suggestion s = new LabelStore.Suggestion(result, score);
        labels.want(project, task, s, List.of("x"), score, Map.of(1L, 1.0));
        labels.written(project, task, s, 100 + task);
    }
}
