package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.config.Manifest;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BackendServerTest extends ServerFixture {
    @Test
    void healthAnswersUpWithTheModelClass() throws IOException {
        start(Map.of());
        for (String path : List.of("/health", "/")) {
            Answer a = call("GET", path, null, null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body().get("status").asText()).isEqualTo("UP");
            assertThat(a.body().get("model_class").asText()).isEqualTo("Exemplar");
        }
    }

    @Test
    void setupAnswersTheOneModelVersionAndHandsOnTheProject() throws IOException {
        start(Map.of());
        Answer a = call("POST", "/setup", SETUP, null);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("model_version").asText()).isEqualTo(Manifest.load().modelVersion());
        assertThat(setups).hasSize(1);
        assertThat(setups.get(0).projectId()).isEqualTo(12);
        assertThat(setups.get(0).extraParams().get("summary_size").asText()).isEqualTo("10%");
        assertThat(setups.get(0).toString()).doesNotContain("abc123");
    }

    @Test
    void malformedRequestsGetA400ThatSaysWhy() throws IOException {
        start(Map.of());
        Answer notJson = call("POST", "/setup", "{nope", null);
        Answer badProject = call("POST", "/setup", SETUP.replace("12.1718030005", "twelve"), null);
        Answer noTasks = call("POST", "/predict", "{\"project\": \"1.2\"}", null);

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().get("error").asText()).contains("not valid JSON");
        assertThat(badProject.status()).isEqualTo(400);
        assertThat(badProject.body().get("error").asText()).contains("twelve");
        assertThat(noTasks.status()).isEqualTo(400);
        assertThat(noTasks.body().get("error").asText()).contains("tasks");
        assertThat(call("GET", "/health", null, null).status()).as("the server goes on").isEqualTo(200);
    }

    @Test
    void predictAnswersAnEmptyListOfPredictionsPerTaskWhenItHasNothingToSay() throws IOException {
        start(Map.of());
        Answer a = call("POST", "/predict", "{\"tasks\": [{\"id\": 1, \"data\": {}}, {\"id\": 2, \"data\": {}}], \"project\": \"1.2\"}", null);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("results")).hasSize(2);
        for (JsonNode item : a.body().get("results")) {
            // an empty result would be stored and block later predictions; an item without one is logged as an error
            assertThat(item.isArray()).as("a list of predictions for the task").isTrue();
            assertThat(item).isEmpty();
        }
    }

    @Test
    void basicAuthGuardsEverythingButHealthAndWebhook() throws IOException {
        start(Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw"));
        String good = okhttp3.Credentials.basic("ls", "pw"), bad = okhttp3.Credentials.basic("ls", "nope");

        Answer refused = call("POST", "/setup", SETUP, null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login required\"");
        assertThat(call("POST", "/setup", SETUP, bad).status()).isEqualTo(401);
        assertThat(call("POST", "/setup", SETUP, good).status()).isEqualTo(200);
        assertThat(call("GET", "/versions", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsByRouteAndStatus() throws IOException {
        start(Map.of());
        call("GET", "/health", null, null);
        call("GET", "/health", null, null);
        call("POST", "/setup", "{", null);

        Request r = new Request.Builder().url(base + "/metrics").build();
        try (Response resp = http.newCall(r).execute()) {
            String text = resp.body().string();
            assertThat(text).contains("exemplar_http_requests_total{route=\"/health\",status=\"200\"} 2");
            assertThat(text).contains("exemplar_http_requests_total{route=\"/setup\",status=\"400\"} 1");
            assertThat(text).contains("exemplar_http_request_seconds_count{route=\"/health\"} 2");
            assertThat(text).contains("exemplar_projects 0").contains("exemplar_tasks 0").contains("exemplar_events{state=\"queued\"} 0");
        }
    }
}
