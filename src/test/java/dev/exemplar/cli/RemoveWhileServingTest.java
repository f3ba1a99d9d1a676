package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** `exemplar labelstudio remove` while `exemplar serve` holds the data directory: the running backend removes. */
class RemoveWhileServingTest {
    static final String CONFIG = "<View><Image name=\"image\" value=\"$image\"/>"
            + "<Choices name=\"scene\" toName=\"image\"><Choice value=\"a\"/></Choices></View>";
    static final ObjectMapper JSON = Json.MAPPER;

    private static void connect(String lsUrl, Seed.SeededUser admin, long project, String backend) throws Exception {
        String body = JSON.createObjectNode().put("url", backend).put("project", project).put("title", "Exemplar").toString();
        okhttp3.Request r = new okhttp3.Request.Builder().url(lsUrl + "/api/ml").header("Authorization", "Bearer " + admin.accessToken())
                .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
        try (okhttp3.Response answer = new okhttp3.OkHttpClient().newCall(r).execute()) {
            assertThat(answer.code()).isEqualTo(201);
        }
    }

    @Test
    void theRunningBackendTakesExemplarOutAndNothingElse(@TempDir Path data) throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, CONFIG);
            List<Map<String, ?>> datas = new ArrayList<>();
            try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
                for (Path p : files.sorted().toList()) {
                    datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p)), "source", p.toString()));
                }
            }
            List<Long> tasks = ls.seed().importTasks(project, datas);
            Map<Long, JsonNode> imported = new HashMap<>();
            for (JsonNode t : ls.read().tasks(project)) imported.put(t.get("id").asLong(), t.get("data").deepCopy());

            Map<String, String> env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                    "EXEMPLAR_DATA_DIR", data.toString());
            try (Store store = Store.open(data); Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
                String url = "http://127.0.0.1:" + backend.server().start("127.0.0.1", 0);
                LabelStudioClient client = LabelStudioClient.builder(lsUrl, admin.personalAccessToken()).build();
                // connected as Label Studio's UI connects a model: it calls /health and /setup, and makes a webhook
                connect(lsUrl, admin, project, url);
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
                assertThat(ls.read().task(tasks.get(0)).get("data").has("exemplar_rank")).isTrue();
                ArrayNode result = (ArrayNode) JSON.readTree("[]");
                client.createPrediction(tasks.get(1), result, 0.5, Manifest.load().modelVersion());
                client.createPrediction(tasks.get(1), result, 0.7, "someone-else");

                StringWriter out = new StringWriter();
                int exit = new CommandLine(new LabelStudioCommand()).setOut(new PrintWriter(out))
                        .execute("remove", "--project", Long.toString(project), "--backend", url);

                assertThat(exit).isZero();
                assertThat(out.toString()).contains("Project " + project + ": disconnected 1 ML backend, removed 3 views,"
                        + " Exemplar's fields from 36 tasks, 1 predictions");
                for (JsonNode t : ls.read().tasks(project)) assertThat(t.get("data")).isEqualTo(imported.get(t.get("id").asLong()));
                assertThat(ls.read().views(project)).isEmpty();
                assertThat(ls.read().predictions(tasks.get(1))).extracting(p -> p.get("model_version").asText()).containsExactly("someone-else");
                assertThat(client.mlBackends(project)).isEmpty();
                assertThat(client.webhooks(project)).noneMatch(w -> w.url().startsWith(url));
                assertThat(store.projects().get(project)).isEmpty();
            }
        }
    }
}
