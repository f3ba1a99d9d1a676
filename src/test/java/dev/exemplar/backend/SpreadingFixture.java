package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.server.BackendServer;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;
import dev.exemplar.summary.Pipeline;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project in the stand-in Label Studio with Exemplar as its backend: the backend is set up
 * through /setup, and Label Studio's webhooks reach its /webhook, as in production.
 */
final class SpreadingFixture implements AutoCloseable {
    static final ObjectMapper JSON = Json.MAPPER;
    static final String VERSION = Manifest.load().modelVersion();

    final LabelStudioStandIn ls = new LabelStudioStandIn();
    final Seed.SeededUser admin;
    final long project;
    final Map<Long, String> imageOf = new LinkedHashMap<>();
    final LabelStudioClient client;
    private Path dataDir;
    private final QueueOrder queue;
    final long webhook;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    Store store;
    SyncService sync;
    BackendServer server;
    int port;

    /** A project of these images with this label config; the backend is not set up yet. */
    SpreadingFixture(Path dataDir, List<Path> images, String config) throws IOException {
        this(dataDir, images, config, QueueOrder.SUMMARY);
    }

    /** As above, the summary queue worked this way. */
    SpreadingFixture(Path dataDir, List<Path> images, String config, QueueOrder queue) throws IOException {
        this.dataDir = dataDir;
        this.queue = queue;
        String lsUrl = ls.start();
        admin = ls.seed().user("admin@example.com");
        project = ls.seed().project(admin, config);
        List<Map<String, ?>> datas = new ArrayList<>();
        for (Path p : images) datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p))));
        List<Long> ids = ls.seed().importTasks(project, datas);
        for (int i = 0; i < ids.size(); i++) imageOf.put(ids.get(i), images.get(i).getFileName().toString());
        client = LabelStudioClient.builder(lsUrl, admin.personalAccessToken()).build();
        ls.seed().legacyTokensEnabled(true);
        startBackend(0);
        webhook = ls.seed().webhook(project, "http://127.0.0.1:" + port + "/webhook");
    }

    private void startBackend(int atPort) {
        store = Store.open(dataDir);
        sync = SyncService.start(store, ImageLoader.defaults(),
                new SyncService.Options(new SyncService.Connection("", ""), VERSION, Pipeline.Options.defaults()).withQueue(queue));
        server = new BackendServer(new Settings(Manifest.load(), name -> null), new StoreService(Manifest.load().modelVersion(), store,
                Background.of(sync), new ProjectReview(store, sync)));
        port = server.start("127.0.0.1", atPort);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode setupRequest() {
        return JSON.createObjectNode().put("project", project + ".1718030005").put("schema", ls.read().project(project)
                .get("label_config").asText()).put("hostname", ls.baseUrl()).put("access_token", admin.personalAccessToken());
    }

    /** Label Studio calls /setup; returns when the project is ordered and propagated. */
    void setUp() throws Exception {
        post("/setup", setupRequest());
        if (!sync.awaitIdle(Duration.ofSeconds(180))) throw new IllegalStateException("sync did not finish");
        awaitPropagation();
    }

    /** A person labels a task through Label Studio's API; Label Studio sends its webhook. */
    long annotate(long task, ArrayNode result) {
        return client.createAnnotation(task, result, null);
    }

    static ArrayNode choices(String... values) {
        ArrayNode result = JSON.createArrayNode();
        var item = result.addObject().put("from_name", "label").put("to_name", "image").put("type", "choices");
        ArrayNode vs = item.putObject("value").putArray("choices");
        for (String v : values) vs.add(v);
        return result;
    }

    /** A call to Label Studio's REST API as the admin, for what the client does not offer. */
    JsonNode api(String method, String path, JsonNode body) throws IOException {
        Request.Builder b = new Request.Builder().url(ls.baseUrl() + path).header("Authorization", "Token " + admin.legacyToken());
        b.method(method, body == null ? (method.equals("DELETE") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(body.toString(), MediaType.get("application/json")));
        try (Response resp = http.newCall(b.build()).execute()) {
            if (resp.code() >= 300) throw new IOException(method + " " + path + " answered " + resp.code() + ": " + resp.body().string());
            String text = resp.body().string();
            return text.isEmpty() ? null : JSON.readTree(text);
        }
    }

    /** Waits until every event is handled and every wanted prediction written. */
    void awaitPropagation() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            var counts = store.events().counts();
            int open = counts.getOrDefault(dev.exemplar.store.EventQueue.State.QUEUED, 0)
                    + counts.getOrDefault(dev.exemplar.store.EventQueue.State.PROCESSING, 0);
            if (open == 0 && !sync.propagating() && !sync.busy() && store.queue().due().isEmpty()) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("propagation did not settle");
    }

    /** The backend goes down and comes back on the same port, with the same data directory. */
    /** The backend stops and starts again; Label Studio then calls /setup, as it does before it next predicts. */
    void restart() throws IOException {
        closeBackend();
        startBackend(port);
        post("/setup", setupRequest());
    }

    /** A second backend from scratch, with its own data directory, in place of the first. */
    void replaceBackend(Path newDataDir) {
        closeBackend();
        dataDir = newDataDir;
        startBackend(0);
    }

    /** Label Studio's webhook for the project now goes to this URL. */
    void webhookTo(String url) throws IOException {
        api("PATCH", "/api/webhooks/" + webhook, JSON.createObjectNode().put("url", url));
    }

    /** Tasks in rank order with their role. */
    List<TaskStore.Task> tasks() {
        return store.tasks().list(project).stream().filter(t -> t.rank() != null)
                .sorted(java.util.Comparator.comparingInt(TaskStore.Task::rank)).toList();
    }

    /** Exemplar's predictions in the stand-in, by task. */
    Map<Long, List<JsonNode>> predictions() {
        Map<Long, List<JsonNode>> out = new LinkedHashMap<>();
        for (long task : imageOf.keySet()) {
            for (JsonNode p : ls.read().predictions(task)) {
                if (VERSION.equals(p.path("model_version").asText())) out.computeIfAbsent(task, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    JsonNode post(String path, JsonNode body) throws IOException {
        Request req = new Request.Builder().url("http://127.0.0.1:" + port + path)
                .post(RequestBody.create(body.toString(), MediaType.get("application/json"))).build();
        try (Response resp = http.newCall(req).execute()) {
            if (resp.code() != 200) throw new IOException(path + " answered " + resp.code());
            return JSON.readTree(resp.body().string());
        }
    }

    JsonNode get(String path) throws IOException {
        try (Response resp = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build()).execute()) {
            if (resp.code() != 200) throw new IOException(path + " answered " + resp.code());
            return JSON.readTree(resp.body().string());
        }
    }

    private void closeBackend() {
        if (server != null) server.close();
        if (sync != null) sync.close();
        if (store != null) store.close();
    }

    @Override
    public void close() {
        closeBackend();
        ls.close();
    }
}
