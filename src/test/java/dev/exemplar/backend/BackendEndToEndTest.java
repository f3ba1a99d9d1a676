package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.server.BackendServer;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Pipeline;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Label Studio (the stand-in) calls the backend; the backend syncs the project in the background. */
class BackendEndToEndTest {
    static final ObjectMapper JSON = Json.MAPPER;
    final OkHttpClient http = new OkHttpClient();

    @TempDir
    Path dataDir;
    LabelStudioStandIn ls;
    Store store;
    SyncService sync;
    BackendServer server;

    @AfterEach
    void close() {
        if (server != null) server.close();
        if (sync != null) sync.close();
        if (store != null) store.close();
        if (ls != null) ls.close();
    }

    @Test
    void setupSyncsInTheBackgroundAndNewTasksAreRankedAfterTheirWebhook() throws Exception {
        ls = new LabelStudioStandIn();
        String lsUrl = ls.start();
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        long project = ls.seed().project(admin, ProjectSyncTest.CONFIG);
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : files.sorted().toList()) datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p))));
        }
        ls.seed().importTasks(project, datas);

        store = Store.open(dataDir);
        Settings settings = new Settings(Manifest.load(), name -> null);
        sync = SyncService.start(store, ImageLoader.defaults(), new SyncService.Options(new SyncService.Connection("", ""),
                Manifest.load().modelVersion(), Pipeline.Options.defaults()));
        server = new BackendServer(settings, new StoreService(settings.manifest().modelVersion(), store,
                Background.of(r -> sync.setup(r.projectId(), r.hostname(), r.accessToken()), sync::drainEvents), null));
        String backend = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        long started = System.nanoTime();
        JsonNode setup = post(backend + "/setup", JSON.createObjectNode().put("project", project + ".1718030005")
                .put("schema", ProjectSyncTest.CONFIG).put("hostname", lsUrl).put("access_token", admin.personalAccessToken()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("/setup never waits for the sync").isLessThan(Duration.ofSeconds(3));
        assertThat(setup.get("model_version").asText()).isEqualTo(Manifest.load().modelVersion());
        assertThat(sync.awaitIdle(Duration.ofSeconds(60))).isTrue();

        JsonNode status = get(backend + "/projects/" + project + "/status");
        assertThat(status.get("phase").asText()).isEqualTo("done");
        assertThat(status.get("last_error").isNull()).isTrue();
        JsonNode result = get(backend + "/projects/" + project + "/result");
        assertThat(result.get("order")).hasSize(36);
        int decodedBefore = sync.decoded();

        // fifty new pictures arrive
        List<Map<String, ?>> more = new ArrayList<>();
        Random r = new Random(9);
        for (int i = 0; i < 50; i++) more.add(Map.of("image", ls.seed().upload(project + "/new" + i + ".png", drawing(r))));
        List<Long> added = ls.seed().importTasks(project, more);
        started = System.nanoTime();
        post(backend + "/webhook", JSON.readTree("{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": " + project + "}, \"tasks\": []}"));
        assertThat(sync.awaitIdle(Duration.ofSeconds(60))).isTrue();
        // a figure to quote, not a bound to assert: timing belongs to benchmarks
        System.out.printf("50 new tasks ranked and linked %d ms after their webhook%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(sync.decoded() - decodedBefore).as("only the new tasks were decoded").isEqualTo(50);
        for (long id : added) assertThat(ls.read().task(id).get("data").has(ProjectSync.RANK)).isTrue();
        assertThat(get(backend + "/projects/" + project + "/result").get("order")).hasSize(86);
    }

    static byte[] drawing(Random r) throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int k = 0; k < 12; k++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(r.nextInt(320), r.nextInt(240), 20 + r.nextInt(120), 20 + r.nextInt(120));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private JsonNode post(String url, JsonNode body) throws IOException {
        Request req = new Request.Builder().url(url).post(RequestBody.create(body.toString(), MediaType.get("application/json"))).build();
        try (Response resp = http.newCall(req).execute()) {
            assertThat(resp.code()).as(url).isEqualTo(200);
            return JSON.readTree(resp.body().string());
        }
    }

    private JsonNode get(String url) throws IOException {
        try (Response resp = http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(resp.code()).as(url).isEqualTo(200);
            return JSON.readTree(resp.body().string());
        }
    }
}
