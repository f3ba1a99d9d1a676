package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.config.Manifest;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** All of the rooms development set as one Label Studio project, as an annotator meets it. */
class RoomsProjectTest {
    static final Path ROOMS = Path.of("../shared/datasets/rooms-dev/images");

    @Test
    void theSummaryQueueServesEveryDelegateInOrderAndNothingElseAfterThreeSyncs(@TempDir Path dataDir) throws Exception {
        assumeTrue(Files.isDirectory(ROOMS), "the development datasets are beside the repository");
        ObjectMapper json = Json.MAPPER;
        try (LabelStudioStandIn ls = new LabelStudioStandIn(); Store store = Store.open(dataDir)) {
            String base = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, ProjectSyncTest.CONFIG);
            List<Map<String, ?>> datas = new ArrayList<>();
            try (Stream<Path> files = Files.list(ROOMS)) {
                for (Path p : files.sorted().toList()) {
                    datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p)), "file", p.getFileName().toString()));
                }
            }
            ls.seed().importTasks(project, datas);
            Map<Long, JsonNode> imported = new HashMap<>();
            for (JsonNode t : ls.read().tasks(project)) imported.put(t.get("id").asLong(), t.get("data").deepCopy());

            ProjectSync sync = new ProjectSync(store, LabelStudioClient.builder(base, admin.personalAccessToken()).build(),
                    ImageLoader.defaults(), Manifest.load().modelVersion());
            for (int i = 0; i < 3; i++) sync.run(project, Pipeline.Options.defaults(), Progress.NONE);

            OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
            assertThat(r.order()).hasSize(310);
            assertThat(ls.read().views(project)).hasSize(3);
            for (JsonNode t : ls.read().tasks(project)) {
                JsonNode before = imported.get(t.get("id").asLong());
                assertThat(t.get("data").get("image")).isEqualTo(before.get("image"));
                assertThat(t.get("data").get("file")).isEqualTo(before.get("file"));
            }

            JsonNode summary = null;
            for (JsonNode v : ls.read().views(project)) if (v.get("data").get("title").asText().equals(ProjectSync.SUMMARY_VIEW)) summary = v;
            String body = "{\"filters\": " + summary.get("data").get("filters") + ", \"ordering\": " + summary.get("data").get("ordering") + "}";
            Seed.SeededUser annotator = ls.seed().user("annotator@example.com");
            OkHttpClient http = new OkHttpClient();
            List<Long> served = new ArrayList<>();
            for (int i = 0; i <= r.summarySize(); i++) {
                Request req = new Request.Builder()
                        .url(base + "/api/dm/actions?id=next_task&project=" + project + "&tabID=" + summary.get("id").asLong())
                        .header("Authorization", "Bearer " + annotator.accessToken())
                        .post(RequestBody.create(body, MediaType.get("application/json"))).build();
                try (Response resp = http.newCall(req).execute()) {
                    if (resp.code() != 200) break;
                    long id = json.readTree(resp.body().string()).get("id").asLong();
                    served.add(id);
                    ls.seed().annotation(id, annotator, json.readTree("[]"), false);
                }
            }
            assertThat(served).containsExactlyElementsOf(r.order().subList(0, r.summarySize()));
        }
    }
}
