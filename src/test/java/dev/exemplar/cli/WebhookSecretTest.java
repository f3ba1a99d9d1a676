package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Webhook;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.server.BackendServer;
import dev.exemplar.store.Store;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With a webhook secret the sync puts it on the webhook Label Studio made for the backend, and Label Studio's events pass. */
class WebhookSecretTest {
    static final MediaType JSON_TYPE = MediaType.get("application/json");

    @Test
    void theSyncPutsTheSecretOnLabelStudiosWebhookAndItsEventsPass(@TempDir Path data) throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, RemoveWhileServingTest.CONFIG);
            List<Map<String, ?>> datas = ls.seed().roomsSample(project, 6);
            List<Long> tasks = ls.seed().importTasks(project, datas);
            Map<String, String> env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                    "EXEMPLAR_DATA_DIR", data.toString(), "EXEMPLAR_WEBHOOK_SECRET", "hook-s3cret");
            OkHttpClient http = new OkHttpClient();
            try (Store store = Store.open(data); Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
                String url = "http://127.0.0.1:" + backend.server().start("127.0.0.1", 0);
                LabelStudioClient client = LabelStudioClient.builder(lsUrl, admin.personalAccessToken()).build();
                String body = Json.MAPPER.createObjectNode().put("url", url).put("project", project).put("title", "Exemplar").toString();
                try (Response r = http.newCall(new Request.Builder().url(lsUrl + "/api/ml").header("Authorization", "Bearer " + admin.accessToken())
                        .post(RequestBody.create(body, JSON_TYPE)).build()).execute()) {
                    assertThat(r.code()).isEqualTo(201);
                }
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();

                List<Webhook> hooks = client.webhooks(project).stream().filter(w -> w.url().equals(url + "/webhook")).toList();
                assertThat(hooks).as("the one webhook Label Studio made, no second").hasSize(1);
                assertThat(hooks.get(0).headers().path(BackendServer.WEBHOOK_SECRET_HEADER).asText()).isEqualTo("hook-s3cret");

                String event = "{\"action\": \"ANNOTATION_CREATED\", \"project\": {\"id\": " + project + "}}";
                try (Response r = http.newCall(new Request.Builder().url(url + "/webhook").post(RequestBody.create(event, JSON_TYPE)).build()).execute()) {
                    assertThat(r.code()).as("without the header").isEqualTo(401);
                }
                int before = store.events().counts().values().stream().mapToInt(Integer::intValue).sum();
                JsonNode annotation = Json.MAPPER.readTree("{\"result\": [{\"from_name\": \"scene\", \"to_name\": \"image\", \"type\": \"choices\","
                        + " \"value\": {\"choices\": [\"a\"]}}]}");
                try (Response r = http.newCall(new Request.Builder().url(lsUrl + "/api/tasks/" + tasks.get(0) + "/annotations")
                        .header("Authorization", "Bearer " + admin.accessToken()).post(RequestBody.create(annotation.toString(), JSON_TYPE)).build()).execute()) {
                    assertThat(r.code()).isEqualTo(201);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (store.events().counts().values().stream().mapToInt(Integer::intValue).sum() == before && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(store.events().counts().values().stream().mapToInt(Integer::intValue).sum()).as("Label Studio's event was queued").isGreaterThan(before);
            }
        }
    }
}
