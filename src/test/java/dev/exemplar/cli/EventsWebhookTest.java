package dev.exemplar.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Webhook;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Label Studio sends the backend its task and annotation events: when the webhook Label Studio made on connecting
 * the backend is gone, a sync adds one, once; removal deletes it. Against the stand-in, which behaves as Label Studio 1.23.
 */
class EventsWebhookTest {
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    static final List<String> ACTIONS = List.of("TASKS_CREATED", "TASKS_DELETED", "ANNOTATION_CREATED", "ANNOTATION_UPDATED",
            "ANNOTATIONS_CREATED", "ANNOTATIONS_DELETED");

    @Test
    void aSyncAddsTheEventsWebhookOnceWhenLabelStudiosIsGoneAndRemovalDeletesIt(@TempDir Path data) throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, RemoveWhileServingTest.CONFIG);
            List<Map<String, ?>> datas = ls.seed().roomsSample(project, 7);
            ls.seed().importTasks(project, datas.subList(0, 6));
            Map<String, String> env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                    "EXEMPLAR_DATA_DIR", data.toString());
            OkHttpClient http = new OkHttpClient();
            LabelStudioClient client = LabelStudioClient.builder(lsUrl, admin.personalAccessToken()).build();
            try (Store store = Store.open(data); Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
                String url = "http://127.0.0.1:" + backend.server().start("127.0.0.1", 0);
                String hook = url + "/webhook";

                // connecting the backend: Label Studio adds its webhook for all actions, so the sync adds none
                ObjectNode ml = Json.MAPPER.createObjectNode().put("url", url).put("project", project).put("title", "Exemplar");
                long backendId = Json.MAPPER.readTree(ls(http, lsUrl, admin, "POST", "/api/ml", ml)).get("id").asLong();
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
                List<Webhook> first = hooks(client, project, hook);
                assertThat(first).hasSize(1);
                assertThat(first.get(0).sendForAllActions()).isTrue();

                // someone deletes it; the next sync (here after a change of the model's settings) adds one for the backend's actions
                assertThat(client.deleteWebhook(first.get(0).id())).isTrue();
                ObjectNode patch = Json.MAPPER.createObjectNode().put("url", url).put("project", project);
                patch.putObject("extra_params").put("summary_size", "50%");
                ls(http, lsUrl, admin, "PATCH", "/api/ml/" + backendId, patch);
                await(() -> hooks(client, project, hook).size() == 1);
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
                Webhook added = hooks(client, project, hook).get(0);
                assertThat(added.sendForAllActions()).isFalse();
                assertThat(added.actions()).containsExactlyInAnyOrderElementsOf(ACTIONS);
                assertThat(added.isActive()).isTrue();

                // a new task reaches the backend through it and is synced; that sync adds no second webhook
                ObjectNode task = Json.MAPPER.createObjectNode();
                task.putObject("data").put("image", (String) datas.get(6).get("image"));
                ls(http, lsUrl, admin, "POST", "/api/projects/" + project + "/import", Json.MAPPER.createArrayNode().add(task));
                await(() -> store.tasks().list(project).size() == 7);
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
                assertThat(hooks(client, project, hook)).extracting(Webhook::id).containsExactly(added.id());

                // removal takes it away with the backend
                try (Response r = http.newCall(new Request.Builder().url(url + "/projects/" + project + "/remove")
                        .post(RequestBody.create("", JSON_TYPE)).build()).execute()) {
                    assertThat(r.code()).as(r.body().string()).isEqualTo(200);
                }
                assertThat(hooks(client, project, hook)).isEmpty();
            }
        }
    }

    @Test
    void puttingTheSecretOnAWebhookKeepsItsActions() throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, RemoveWhileServingTest.CONFIG);
            LabelStudioClient client = LabelStudioClient.builder(lsUrl, admin.personalAccessToken()).build();
            Webhook hook = client.createWebhook(new Webhook(null, project, "http://backend:9090/webhook", true, false,
                    List.of("TASKS_CREATED", "TASKS_DELETED"), Json.MAPPER.createObjectNode(), true));
            ObjectNode headers = Json.MAPPER.createObjectNode().put("X-Exemplar-Webhook-Secret", "s");
            assertThat(client.updateWebhookHeaders(hook, headers).actions()).containsExactly("TASKS_CREATED", "TASKS_DELETED");

            // as Label Studio 1.23 does, a PATCH without "actions" leaves the webhook none
            ObjectNode bare = Json.MAPPER.createObjectNode();
            bare.set("headers", headers);
            String answer = ls(new OkHttpClient(), lsUrl, admin, "PATCH", "/api/webhooks/" + hook.id() + "/", bare);
            assertThat(Json.MAPPER.readTree(answer).get("actions")).isEmpty();
        }
    }

    private static List<Webhook> hooks(LabelStudioClient client, long project, String hook) {
        return client.webhooks(project).stream().filter(w -> w.url().equals(hook)).toList();
    }

    private static String ls(OkHttpClient http, String lsUrl, Seed.SeededUser user, String method, String path, Object body) throws IOException {
        Request request = new Request.Builder().url(lsUrl + path).header("Authorization", "Bearer " + user.accessToken())
                .method(method, RequestBody.create(body.toString(), JSON_TYPE)).build();
        try (Response r = http.newCall(request).execute()) {
            String text = r.body().string();
            assertThat(r.code()).as(method + " " + path + ": " + text).isBetween(200, 299);
            return text;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
