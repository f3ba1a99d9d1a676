package dev.exemplar.server;

import dev.exemplar.backend.Background;
import dev.exemplar.backend.StoreService;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.store.Store;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route, with and without basic auth, given what a careless or hostile client sends: wrong
 * methods, empty, huge, non-JSON and invalid UTF-8 bodies, wrong types for every field, odd ids, deep
 * nesting; then a seeded random walk over JSON-ish bodies. No answer is a 5xx, each comes fast, and the
 * server is healthy after. Everything is generated here; nothing large is checked in.
 */
class MalformedRequestCorpusTest {
    static final MediaType JSON = MediaType.get("application/json");
    static final double FAST_SECONDS = 2.0;
    static final String USER = "ls", PASS = "pw";

    @TempDir
    Path dir;
    Store store;
    BackendServer server;
    String base;
    final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).retryOnConnectionFailure(false).build();
    final List<String> failures = new ArrayList<>();
    int requests;
    double slowest;

    void start(boolean auth) {
        store = Store.open(dir);
        Map<String, String> env = auth ? Map.of("BASIC_AUTH_USER", USER, "BASIC_AUTH_PASS", PASS) : Map.of();
        Background background = new Background() {
            @Override
            public void setup(dev.exemplar.backend.SetupRequest request) { }

            @Override
            public dev.exemplar.backend.ProjectRemoval.Outcome remove(long projectId) {
                throw new IllegalStateException("project " + projectId + " is not known");
            }
        };
        FakeReview review = new FakeReview(7, new FakeReview.Builder().group(100, 1, "cat", 101, 0.91, 102, 0.42).build(), Map.of());
        server = new BackendServer(new Settings(Manifest.load(), env::get), new StoreService(Manifest.load().modelVersion(), store, background, review));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    static final List<String> ROUTES = List.of("/", "/health", "/setup", "/predict", "/webhook", "/projects/{id}/status",
            "/projects/{id}/result", "/projects/{id}/remove", "/versions", "/metrics", "/ui/projects/{id}/review",
            "/ui/assets/review.js", "/ui/assets/review.css", "/ui/api/projects/{id}/review", "/ui/projects/{id}/thumbs/{task}.jpg",
            "/ui/api/projects/{id}/tasks/{task}/accept", "/ui/api/projects/{id}/tasks/{task}/reject");
    static final List<String> IDS = List.of("7", "0", "-1", "abc", "99999999999999999999999", "9223372036854775808", "1e5", "7.5",
            "%00", "..%2F..", "%E2%80%8F7", "7%20", "x".repeat(300));
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    static final List<String> QUERIES = List.of("", "?label=", "?label=" + "x".repeat(600), "?min=abc", "?min=2&max=-1", "?min=0.9&max=0.1",
            "?limit=-1", "?limit=99999999999", "?offset=abc", "?offset=1e9", "?min=NaN", "?max=Infinity", "?label=%ZZ");

    /** Bodies that are wrong whatever the route. */
    static Map<String, byte[]> badBodies() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("empty", new byte[0]);
        out.put("null", utf8("null"));
        out.put("array", utf8("[1, 2, 3]"));
        out.put("string", utf8("\"hello\""));
        out.put("number", utf8("12345678901234567890123456789"));
        out.put("truncated", utf8("{\"project\": \"1.2\", \"schema\": "));
        out.put("not json", utf8("project=1&schema=x"));
        out.put("invalid utf-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'});
        out.put("overlong utf-8", new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'});
        out.put("lone surrogate escape", utf8("{\"action\": \"\\uD800\", \"project\": {\"id\": 1}}"));
        out.put("nul bytes", utf8("{\"action\": \"A\u0000B\", \"project\": {\"id\": 1}}"));
        out.put("deep arrays", utf8("[".repeat(100_000)));
        out.put("deep objects", utf8("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)));
        out.put("deep in a field", utf8("{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 1}, \"x\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}"));
        out.put("huge string", utf8("{\"schema\": \"" + "x".repeat(2_000_000) + "\"}"));
        out.put("huge number", utf8("{\"project\": " + "9".repeat(100_000) + "}"));
        out.put("many keys", utf8(manyKeys()));
        out.put("duplicate keys", utf8("{\"action\": \"TASKS_CREATED\", \"action\": 5, \"project\": {\"id\": 1}, \"project\": \"x\"}"));
        return out;
    }

    private static String manyKeys() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++) b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        return b.append('}').toString();
    }

    /** Values of every wrong type for a field. */
    static final List<String> WRONG_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "99999999999999999999999", "\"\"",
            "\"x\"", "\"-1.2\"", "\"99999999999999999999999.1\"", "[]", "[1]", "{}", "{\"id\": \"x\"}", "{\"id\": -1}", "{\"id\": null}",
            "\"" + "<a ".repeat(20_000) + "\"", "\"" + "<Image ".repeat(20_000) + "\"");

    static final Map<String, List<String>> FIELDS = Map.of(
            "/setup", List.of("project", "schema", "hostname", "access_token", "extra_params"),
            "/predict", List.of("tasks", "project", "label_config", "params"),
            "/webhook", List.of("action", "project", "annotation", "annotations", "task", "tasks"));
    static final Map<String, String> VALID = Map.of(
            "/setup", "{\"project\": \"7.1\", \"schema\": \"<View><Image name=\\\"i\\\" value=\\\"$image\\\"/></View>\", \"hostname\": \"http://localhost:8080\", \"access_token\": \"t\", \"extra_params\": {}}",
            "/predict", "{\"project\": \"7.1\", \"tasks\": [{\"id\": 1, \"data\": {}}]}",
            "/webhook", "{\"action\": \"ANNOTATION_CREATED\", \"project\": {\"id\": 7}, \"annotation\": {\"id\": 1, \"task\": 1, \"result\": []}}");

    @ParameterizedTest(name = "basic auth {0}")
    @ValueSource(booleans = {false, true})
    void everyRouteAnswersMalformedRequestsWithout5xxAndFast(boolean auth) throws IOException {
        start(auth);
        List<String> paths = new ArrayList<>();
        for (String route : ROUTES) {
            if (!route.contains("{")) {
                paths.add(route);
                continue;
            }
            for (String id : IDS) paths.add(route.replace("{id}", id).replace("{task}", id.equals("7") ? "101" : id));
        }
        for (String path : paths) {
            for (String method : METHODS) {
                for (String credentials : credentials(auth)) {
                    send(method, path, null, null, credentials);
                    if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
                        send(method, path, new byte[0], "application/json", credentials);
                    }
                }
            }
            if (path.startsWith("/ui/api/") && path.endsWith("/review")) for (String q : QUERIES) send("GET", path + q, null, null, authOf(auth));
        }
        Map<String, byte[]> bad = badBodies();
        for (String path : List.of("/setup", "/predict", "/webhook", "/projects/7/remove", "/ui/api/projects/7/tasks/101/accept")) {
            for (byte[] body : bad.values()) {
                send("POST", path, body, "application/json", authOf(auth));
                send("POST", path, body, "text/plain", authOf(auth));
            }
            send("POST", path, utf8(VALID.getOrDefault(path, "{}")), "application/x-www-form-urlencoded", authOf(auth));
            send("POST", path, utf8(VALID.getOrDefault(path, "{}")), null, authOf(auth));
        }
        for (var e : FIELDS.entrySet()) {
            for (String field : e.getValue()) {
                for (String value : WRONG_VALUES) {
                    var body = (com.fasterxml.jackson.databind.node.ObjectNode) dev.exemplar.json.Json.MAPPER.readTree(VALID.get(e.getKey()));
                    body.set(field, dev.exemplar.json.Json.MAPPER.readTree(value));
                    send("POST", e.getKey(), utf8(body.toString()), "application/json", authOf(auth));
                    body.remove(field);
                    send("POST", e.getKey(), utf8(body.toString()), "application/json", authOf(auth));
                }
            }
        }
        // a predict body's tasks, each wrong in its own way
        for (String value : WRONG_VALUES) {
            send("POST", "/predict", utf8("{\"project\": \"7.1\", \"tasks\": [" + value + ", {\"id\": " + value + ", \"project\": " + value + "}]}"),
                    "application/json", authOf(auth));
        }
        send("POST", "/predict", utf8("{\"project\": \"7.1\", \"tasks\": [" + "{\"id\": 1},".repeat(20_000) + "{}]}"), "application/json", authOf(auth));

        assertThat(failures).as("5xx or slow answers among " + requests).isEmpty();
        assertThat(requests).isGreaterThan(2_000);
        assertThat(healthy()).isTrue();
        System.out.printf("corpus (auth %s): %d requests, slowest %.3f s%n", auth, requests, slowest);
    }

    /** Seeded, so a failure is the same failure when it is run again. */
    @ParameterizedTest(name = "basic auth {0}")
    @ValueSource(booleans = {false, true})
    void randomJsonishBodiesNeverGet5xx(boolean auth) throws IOException {
        start(auth);
        Random random = new Random(20_261_204L + (auth ? 1 : 0));
        List<String> targets = List.of("/setup", "/predict", "/webhook");
        for (int i = 0; i < 1_500; i++) {
            String path = targets.get(i % targets.size());
            byte[] body = random.nextInt(10) == 0 ? randomBytes(random) : utf8(jsonish(random, 0, path));
            send("POST", path, body, random.nextInt(20) == 0 ? "text/plain" : "application/json", authOf(auth));
        }
        assertThat(failures).as("5xx or slow answers among " + requests).isEmpty();
        assertThat(healthy()).isTrue();
        System.out.printf("fuzz (auth %s): %d requests, slowest %.3f s%n", auth, requests, slowest);
    }

    static final String[] KEYS = {"action", "project", "id", "schema", "hostname", "access_token", "extra_params", "tasks", "task",
            "annotation", "annotations", "label_config", "data", "result", "was_cancelled", "parent_prediction", "updated_at", ""};
    static final String[] ACTIONS = {"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED", "TASKS_CREATED", "TASKS_DELETED",
            "PROJECT_UPDATED", "START_TRAINING", "", "annotation_created"};

    static String jsonish(Random r, int depth, String path) {
        int kind = depth > 6 ? 4 + r.nextInt(6) : r.nextInt(10);
        switch (kind) {
            case 0, 1, 2 -> {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(6);
                if (depth == 0 && r.nextBoolean()) { // mostly the right shape, so the checks past the first are reached
                    b.append(path.equals("/setup") ? "\"project\": \"" + r.nextInt(20) + "." + r.nextInt(9) + "\", \"schema\": " + schema(r)
                            : path.equals("/predict") ? "\"project\": \"7.1\", \"tasks\": [" + jsonish(r, depth + 1, path) + "]"
                            : "\"action\": \"" + ACTIONS[r.nextInt(ACTIONS.length)] + "\", \"project\": {\"id\": " + r.nextInt(20) + "}");
                    if (n > 0) b.append(',');
                }
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(',');
                    b.append('"').append(KEYS[r.nextInt(KEYS.length)]).append("\": ").append(jsonish(r, depth + 1, path));
                }
                return b.append(r.nextInt(40) == 0 ? "" : "}").toString();
            }
            case 3 -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(jsonish(r, depth + 1, path));
                return b.append(']').toString();
            }
            case 4 -> {
                return switch (r.nextInt(8)) {
                    case 0 -> Long.toString(r.nextLong());
                    case 1 -> "9".repeat(1 + r.nextInt(40));
                    case 2 -> Double.toString(r.nextGaussian() * 1e6);
                    case 3 -> "-0";
                    case 4 -> "1e" + r.nextInt(500);
                    default -> Integer.toString(r.nextInt(200) - 50);
                };
            }
            case 5 -> {
                return r.nextBoolean() ? "true" : "null";
            }
            case 6 -> {
                return '"' + ACTIONS[r.nextInt(ACTIONS.length)] + '"';
            }
            case 7 -> {
                return schema(r);
            }
            default -> {
                StringBuilder b = new StringBuilder("\"");
                int n = r.nextInt(30);
                for (int i = 0; i < n; i++) {
                    int c = r.nextInt(6) == 0 ? r.nextInt(0x3000) : 0x20 + r.nextInt(0x5f);
                    if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate((char) c)) b.append("\\u").append(String.format("%04x", c));
                    else b.append((char) c);
                }
                return b.append('"').toString();
            }
        }
    }

    static String schema(Random r) {
        String[] parts = {"<View>", "</View>", "<Image name=\\\"i\\\" value=\\\"$image\\\"/>", "<Choices name=\\\"c\\\" toName=\\\"i\\\">",
                "</Choices>", "<Choice value=\\\"a\\\"/>", "<a ", "<Image ", "<!DOCTYPE x [<!ENTITY e \\\"e\\\">]>", "&e;", "<!--", "-->", "<![CDATA[", "]]>"};
        StringBuilder b = new StringBuilder("\"");
        int n = 1 + r.nextInt(r.nextInt(20) == 0 ? 5_000 : 20);
        for (int i = 0; i < n; i++) b.append(parts[r.nextInt(parts.length)]);
        return b.append('"').toString();
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(2_000)];
        r.nextBytes(b);
        return b;
    }

    private List<String> credentials(boolean auth) {
        if (!auth) return java.util.Collections.singletonList(null);
        return java.util.Arrays.asList(null, authOf(true), "Basic " + Base64.getEncoder().encodeToString("ls:wrong".getBytes(StandardCharsets.UTF_8)),
                "Basic !!!not-base64", "Bearer x");
    }

    private static String authOf(boolean auth) {
        return auth ? "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.UTF_8)) : null;
    }

    private void send(String method, String path, byte[] body, String contentType, String authorization) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path);
        if (authorization != null) b.header("Authorization", authorization);
        boolean needsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        RequestBody rb = body == null ? (needsBody ? RequestBody.create(new byte[0], null) : null)
                : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType));
        b.method(method, method.equals("GET") || method.equals("HEAD") ? null : rb);
        long t0 = System.nanoTime();
        try (Response r = http.newCall(b.build()).execute()) {
            if (r.body() != null) r.body().bytes();
            double seconds = (System.nanoTime() - t0) / 1e9;
            requests++;
            slowest = Math.max(slowest, seconds);
            String what = method + " " + PathIds.clip(path) + " (" + (body == null ? "no body" : body.length + " bytes") + ", " + contentType + ")";
            if (r.code() >= 500) failures.add(r.code() + " for " + what);
            if (seconds > FAST_SECONDS) failures.add(String.format("%.2f s for %s", seconds, what));
        }
    }

    private boolean healthy() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(base + "/health").build()).execute()) {
            return r.code() == 200;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
