package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replays every request a real Label Studio sent to a backend (captured from Label Studio 1.23)
 * and the request fixtures, and checks the answers have the shape Label Studio accepts.
 */
class LabelStudioCallsTest extends ServerFixture {
    static final Path SHARED = Path.of("../shared/labelstudio");
    static final Set<String> SERVED = Set.of("/health", "/setup", "/predict", "/versions", "/webhook");

    @Test
    void answersEveryCapturedCallAsTheProtocolSays() throws IOException {
        Path dir = SHARED.resolve("captured/ml_backend");
        assumeTrue(Files.isDirectory(dir), "the captured exchanges are beside the repository");
        start(Map.of());
        int replayed = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode exchange = JSON.readTree(f.toFile());
            String path = exchange.get("path").asText().split("\\?")[0];
            // "/hook" is a project webhook the recording registered for itself, not a call to a backend
            if (!SERVED.contains(path)) continue;
            String body = exchange.hasNonNull("body") ? JSON.writeValueAsString(exchange.get("body")) : null;
            checkAnswer(path, body, call(exchange.get("method").asText(), path, body, null), f.getFileName().toString());
            replayed++;
        }
        assertThat(replayed).isGreaterThanOrEqualTo(57);
    }

    @Test
    void answersTheRequestFixtures() throws IOException {
        Path dir = SHARED.resolve("fixtures");
        assumeTrue(Files.isDirectory(dir), "the fixtures are beside the repository");
        start(Map.of());
        for (String name : List.of("ml_setup_request_minimal.json", "ml_setup_request_yolo_test.json")) {
            checkAnswer("/setup", Files.readString(dir.resolve(name)), call("POST", "/setup", Files.readString(dir.resolve(name)), null), name);
        }
        for (String name : List.of("webhook_tasks_created.json", "webhook_annotation_created.json", "webhook_annotations_deleted.json",
                "webhook_annotation_updated_rectanglelabels.json", "ml_webhook_request_minimal.json")) {
            String body = Files.readString(dir.resolve(name));
            checkAnswer("/webhook", body, call("POST", "/webhook", body, null), name);
        }
        for (String name : List.of("ml_predict_request_from_ls_issue7519.json", "ml_predict_request_yolo_test_choices.json")) {
            String body = Files.readString(dir.resolve(name));
            checkAnswer("/predict", body, call("POST", "/predict", body, null), name);
        }
    }

    private void checkAnswer(String path, String body, Answer a, String source) throws IOException {
        assertThat(a.status()).as(source).isEqualTo(200);
        assertThat(a.body()).as(source + ": Label Studio counts a non-JSON answer as an error").isNotNull();
        switch (path) {
            case "/health" -> assertThat(a.body().get("status").asText()).isEqualTo("UP");
            case "/setup" -> assertThat(a.body().get("model_version").isTextual()).as(source).isTrue();
            case "/versions" -> assertThat(a.body().get("versions").isArray()).isTrue();
            case "/webhook" -> assertThat(a.body().get("status").asText()).as(source).isEqualTo("queued");
            case "/predict" -> {
                int tasks = JSON.readTree(body).get("tasks").size();
                assertThat(a.body().get("results")).as(source + ": one item per task").hasSize(tasks);
            }
            default -> throw new AssertionError(path);
        }
    }
}
