package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.server.ReviewRoutes;
import dev.exemplar.store.Store;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Label Studio driven over its REST API the way a labelling team uses it, with Exemplar's backend
 * connected the way Label Studio's UI connects one: the shared driver of {@code bench labelstudio}
 * and the end-to-end tests against a real Label Studio.
 *
 * <p>What {@link LabelStudioClient} already does (reading tasks, views and predictions, creating
 * annotations) goes through it. The calls a team makes and the backend never does (projects,
 * imports, connecting a backend, the labelling stream, deleting annotations) are here. A personal
 * access token is exchanged for an access token, as Label Studio's UI does; a legacy token is sent
 * as it is.
 */
final class LabelStudioScenario {
    static final ObjectMapper JSON = Json.MAPPER;
    /** The names of the label config the scenario writes: an image and one Choices. */
    static final String IMAGE = "image", LABEL = "label";
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl base;
    private final String key;
    private final LabelStudioClient client;
    // imports and project deletions of a few thousand tasks take Label Studio a while on SQLite
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(5)).build();
    private String access;

    LabelStudioScenario(String url, String key) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) throw new IllegalArgumentException("not an http(s) URL: " + url);
        this.base = parsed;
        this.key = key.trim();
        this.client = LabelStudioClient.builder(url, key).build();
    }

    LabelStudioClient client() {
        return client;
    }

    String url() {
        return base.toString();
    }

    /** Whether Label Studio answers {@code GET /api/version}: quickly, as this only checks that it runs. */
    static boolean answers(String url) {
        HttpUrl base = HttpUrl.parse(url);
        if (base == null) return false;
        HttpUrl version = base.resolve("/api/version");
        OkHttpClient quick = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
        try (Response r = quick.newCall(new Request.Builder().url(version).build()).execute()) {
            return r.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- projects

    /** A project of images labelled with one of {@code choices}, served in the order of the view a person labels from. */
    long createProject(String title, Collection<String> choices) {
        ObjectNode body = JSON.createObjectNode().put("title", title).put("label_config", labelConfig(choices))
                .put("sampling", "Sequential sampling");
        return call("POST", url("api/projects"), body).path("id").asLong();
    }

    static String labelConfig(Collection<String> choices) {
        StringBuilder xml = new StringBuilder("<View>\n  <Image name=\"" + IMAGE + "\" value=\"$" + IMAGE + "\"/>\n")
                .append("  <Choices name=\"" + LABEL + "\" toName=\"" + IMAGE + "\" choice=\"single\">\n");
        for (String c : choices) xml.append("    <Choice value=\"").append(xmlAttribute(c)).append("\"/>\n");
        return xml.append("  </Choices>\n</View>").toString();
    }

    private static String xmlAttribute(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Deletes the project with its tasks, annotations and predictions; false when it was already gone. */
    boolean deleteProject(long project) {
        try {
            call("DELETE", url("api/projects/" + project + "/"), null);
            return true;
        } catch (Failure e) {
            if (e.status == 404) return false;
            throw e;
        }
    }

    // ---------------------------------------------------------------- tasks

    /** Imports one task per {@code data} object, as a JSON import does; returns the new tasks' ids in that order. */
    List<Long> importTasks(long project, List<ObjectNode> data) {
        ArrayNode body = JSON.createArrayNode();
        data.forEach(d -> body.addObject().set("data", d));
        HttpUrl url = url("api/projects/" + project + "/import").newBuilder().addQueryParameter("return_task_ids", "true").build();
        JsonNode answer = call("POST", url, body);
        List<Long> ids = new ArrayList<>();
        answer.path("task_ids").forEach(id -> ids.add(id.asLong()));
        if (ids.size() != data.size()) {
            throw new IllegalStateException("Label Studio imported " + answer.path("task_count").asText("?") + " of " + data.size()
                    + " tasks and named " + ids.size() + " of them");
        }
        return ids;
    }

    /** The tasks a Data Manager tab shows, in its order ({@code GET /api/tasks?view=}), with their data. */
    List<Task> viewTasks(long project, long view) {
        List<Task> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            HttpUrl url = url("api/tasks").newBuilder().addQueryParameter("project", Long.toString(project))
                    .addQueryParameter("view", Long.toString(view)).addQueryParameter("page", Integer.toString(page))
                    .addQueryParameter("page_size", "100").build();
            JsonNode answer;
            try {
                answer = call("GET", url, null);
            } catch (Failure e) {
                if (e.status == 404 && page > 1) return out; // "Invalid page." past the last one
                throw e;
            }
            for (JsonNode t : answer.path("tasks")) out.add(convert(t, Task.class));
            if (answer.path("tasks").isEmpty() || out.size() >= answer.path("total").asLong()) return out;
        }
    }

    /**
     * These tasks with their data, through the Data Manager's task list, a hundred a request. Unlike
     * {@code GET /api/tasks/{id}}, the list does not make Label Studio ask the backend for predictions.
     */
    List<Task> tasks(long project, Collection<Long> ids) {
        List<Task> out = new ArrayList<>();
        List<Long> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 100) {
            ObjectNode query = JSON.createObjectNode();
            ObjectNode selected = query.putObject("selectedItems").put("all", false);
            all.subList(from, Math.min(all.size(), from + 100)).forEach(selected.putArray("included")::add);
            HttpUrl url = url("api/tasks").newBuilder().addQueryParameter("project", Long.toString(project))
                    .addQueryParameter("page", "1").addQueryParameter("page_size", "100")
                    .addQueryParameter("query", query.toString()).build();
            for (JsonNode t : call("GET", url, null).path("tasks")) out.add(convert(t, Task.class));
        }
        return out;
    }

    /** Every prediction of the project by task, read through the Data Manager's task list with {@code fields=all}. */
    Map<Long, List<Prediction>> predictions(long project) {
        return client.predictions(project, client.tasks(project).map(Task::id).toList());
    }

    // ---------------------------------------------------------------- the ML backend

    /**
     * Connects a backend as the project settings' "Connect Model" does: Label Studio calls its /health
     * and /setup, sets the project's model version to the title and creates a webhook to
     * {@code <url>/webhook} for every action.
     */
    JsonNode connectBackend(long project, String backendUrl, String title) {
        ObjectNode body = JSON.createObjectNode().put("url", backendUrl).put("project", project).put("title", title)
                .put("is_interactive", false);
        return call("POST", url("api/ml"), body);
    }

    // ---------------------------------------------------------------- labelling

    /**
     * The task Label Studio serves next to this account from a Data Manager tab
     * ({@code POST /api/dm/actions?id=next_task} with {@code {"view": id}}, as the labelling stream asks),
     * or empty when the tab has nothing left to label.
     */
    Optional<Task> nextTask(long project, long view) {
        HttpUrl url = url("api/dm/actions").newBuilder().addQueryParameter("id", "next_task")
                .addQueryParameter("project", Long.toString(project)).build();
        try {
            return Optional.of(convert(call("POST", url, JSON.createObjectNode().put("view", view)), Task.class));
        } catch (Failure e) {
            if (e.status == 404) return Optional.empty();
            throw e;
        }
    }

    /** Labels a task with one choice under this account; returns the annotation's id. */
    long annotate(long task, String choice) {
        return client.createAnnotation(task, choices(choice), null);
    }

    /** An annotation or prediction result choosing {@code value}. */
    static ArrayNode choices(String value) {
        ArrayNode result = JSON.createArrayNode();
        ObjectNode item = result.addObject().put("from_name", LABEL).put("to_name", IMAGE).put("type", "choices");
        item.putObject("value").putArray("choices").add(value);
        return result;
    }

    /** The first choice of a result, or null. */
    static String choiceOf(JsonNode result) {
        JsonNode c = result == null ? null : result.path(0).path("value").path("choices").path(0);
        return c == null || c.isMissingNode() ? null : c.asText();
    }

    void deleteAnnotation(long annotation) {
        call("DELETE", url("api/annotations/" + annotation), null);
    }

    // ---------------------------------------------------------------- transport

    private HttpUrl url(String path) {
        return base.resolve("/" + path);
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Label Studio answered with an error status. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(String method, HttpUrl url, int status, String body) {
            super(method + " " + url.encodedPath() + " answered " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            this.status = status;
        }
    }

    /** One authenticated request; an access token Label Studio refuses is exchanged again once. */
    private JsonNode call(String method, HttpUrl url, JsonNode body) {
        for (int attempt = 0; ; attempt++) {
            String auth = authorization();
            Request request = new Request.Builder().url(url).header("Authorization", auth).header("Accept", "application/json")
                    .method(method, body == null ? null : RequestBody.create(body.toString(), JSON_TYPE)).build();
            try (Response r = http.newCall(request).execute()) {
                String text = r.body() == null ? "" : r.body().string();
                if (r.code() == 401 && attempt == 0 && auth.startsWith("Bearer ")) {
                    forget(auth);
                    continue;
                }
                if (!r.isSuccessful()) throw new Failure(method, url, r.code(), text);
                return text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + url.encodedPath() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A personal access token (a JWT) is exchanged at /api/token/refresh/; a legacy token is sent as it is. */
    private synchronized String authorization() {
        if (key.split("\\.", -1).length != 3) return "Token " + key;
        if (access == null) {
            Request request = new Request.Builder().url(url("api/token/refresh/"))
                    .post(RequestBody.create(JSON.createObjectNode().put("refresh", key).toString(), JSON_TYPE)).build();
            try (Response r = http.newCall(request).execute()) {
                String text = r.body() == null ? "" : r.body().string();
                if (!r.isSuccessful()) throw new Failure("POST", request.url(), r.code(), "the personal access token was refused");
                access = JSON.readTree(text).path("access").asText();
            } catch (IOException e) {
                throw new UncheckedIOException("exchanging the personal access token: " + e.getMessage(), e);
            }
        }
        return "Bearer " + access;
    }

    private synchronized void forget(String header) {
        if (header.equals("Bearer " + access)) access = null;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Asks {@code probe} every {@code every} until it answers something other than null, and returns that;
     * throws {@link TimedOut} after {@code timeout}, naming what was awaited.
     */
    static <T> T await(String what, Duration timeout, Duration every, Supplier<T> probe) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) return value;
            if (System.nanoTime() > end) throw new TimedOut("waited " + timeout.toSeconds() + " s for " + what);
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** What was awaited did not happen in time. */
    static final class TimedOut extends IllegalStateException {
        TimedOut(String message) {
            super(message);
        }
    }

    /**
     * The true labels of a dataset's {@code truth.csv} ({@code file,...} with a header row) by file name,
     * from the named column; rows whose label is empty are left out.
     */
    static Map<String, String> truth(Path csv, String column) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) throw new IOException(csv + " is empty");
        List<String> header = List.of(lines.get(0).split(",", -1));
        int file = header.indexOf("file"), label = header.indexOf(column);
        if (file < 0 || label < 0) throw new IOException(csv + " has no \"file\" or \"" + column + "\" column: " + header);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length <= Math.max(file, label) || f[label].isEmpty()) continue;
            out.put(Path.of(f[file]).getFileName().toString(), f[label]);
        }
        return out;
    }

    private static final Pattern REQUESTS = Pattern.compile("^exemplar_labelstudio_requests_total\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern LABEL_PAIR = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The backend's requests to Label Studio from its {@code /metrics}, by {@code "METHOD resource"}
     * (e.g. {@code "PATCH tasks"}), summed over any other labels; null when the backend does not count them.
     */
    static Map<String, Long> labelStudioRequests(String metrics) {
        if (!metrics.contains("exemplar_labelstudio_requests_total")) return null;
        Map<String, Long> out = new TreeMap<>();
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher p = LABEL_PAIR.matcher(m.group(1));
            while (p.find()) labels.put(p.group(1), p.group(2));
            String name = labels.getOrDefault("method", "?") + " " + labels.getOrDefault("resource", "?");
            out.merge(name, (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return out;
    }

    /** What each count grew by from {@code before} to {@code after}; null when either is. */
    static Map<String, Long> growth(Map<String, Long> before, Map<String, Long> after) {
        if (before == null || after == null) return null;
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) out.put(k, d);
        });
        return out;
    }

    // ---------------------------------------------------------------- the images

    /**
     * A folder's images over HTTP on 127.0.0.1, for task data: only the folder's own regular files
     * (not hidden, not in subfolders), each by its exact name, so no request can reach another file.
     */
    static final class ImageFolder implements AutoCloseable {
        private final Map<String, Path> files = new TreeMap<>();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "image-folder");
            t.setDaemon(true);
            return t;
        });

        ImageFolder(Path folder) throws IOException {
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .forEach(p -> files.put(p.getFileName().toString(), p));
            }
            if (files.isEmpty()) throw new IOException("no files in " + folder);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::serve);
            server.setExecutor(threads);
            server.start();
        }

        List<String> names() {
            return List.copyOf(files.keySet());
        }

        String url(String name) {
            return new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(server.getAddress().getPort())
                    .addPathSegment(name).build().toString();
        }

        /** A task's data for the named image: its URL here, and its file name as {@code source}, which the truth is keyed by. */
        ObjectNode task(String name) {
            return JSON.createObjectNode().put(IMAGE, url(name)).put("source", name);
        }

        private void serve(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Path file = path.startsWith("/") ? files.get(path.substring(1)) : null;
                boolean head = exchange.getRequestMethod().equals("HEAD");
                if (file == null || !(head || exchange.getRequestMethod().equals("GET"))) {
                    exchange.sendResponseHeaders(file == null ? 404 : 405, -1);
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", contentType(file));
                exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        }

        private static String contentType(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
            if (name.endsWith(".png")) return "image/png";
            return "application/octet-stream";
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** Removes a folder and everything in it: a run's data folder. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    // ---------------------------------------------------------------- Exemplar's backend

    /**
     * Exemplar's backend in this process, started as {@code serve} starts it (on 127.0.0.1, any free
     * port, its own data folder), and its HTTP API as a client of the backend sees it.
     */
    static final class Exemplar implements AutoCloseable {
        private final Store store;
        private final Backend backend;
        private final HttpUrl base;
        private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

        private Exemplar(Store store, Backend backend, int port) {
            this.store = store;
            this.backend = backend;
            this.base = HttpUrl.get("http://127.0.0.1:" + port);
        }

        /** Images may come from 127.0.0.1, where {@link ImageFolder} serves them. */
        static Exemplar start(String labelStudioUrl, String key, Path dataDir) {
            return start(labelStudioUrl, key, dataDir, Map.of());
        }

        /** As above, with these settings besides (by environment variable). */
        static Exemplar start(String labelStudioUrl, String key, Path dataDir, Map<String, String> more) {
            Map<String, String> environment = new java.util.HashMap<>(more);
            environment.putAll(Map.of("LABEL_STUDIO_URL", labelStudioUrl, "LABEL_STUDIO_API_KEY", key,
                    "EXEMPLAR_ALLOWED_IMAGE_HOSTS", "127.0.0.1", "EXEMPLAR_DATA_DIR", dataDir.toString()));
            Settings settings = new Settings(Manifest.load(), environment::get);
            Store store = Store.open(Path.of(settings.get("data_dir")));
            Backend backend = Backend.of(settings, store);
            return new Exemplar(store, backend, backend.server().start("127.0.0.1", 0));
        }

        /** The URL Label Studio is given for this backend. */
        String url() {
            return base.toString().replaceAll("/$", "");
        }

        static String modelVersion() {
            return Manifest.load().modelVersion();
        }

        /** {@code GET /projects/{id}/status}, or null while the backend does not know the project. */
        JsonNode status(long project) {
            return optional("GET", "projects/" + project + "/status", null);
        }

        /** {@code GET /projects/{id}/result}: the order, summary size, links and duplicates, by task id; null before the first. */
        JsonNode result(long project) {
            return optional("GET", "projects/" + project + "/result", null);
        }

        String metrics() {
            try (Response r = http.newCall(new Request.Builder().url(base.resolve("/metrics")).build()).execute()) {
                if (!r.isSuccessful()) throw new IllegalStateException("GET /metrics answered " + r.code());
                return r.body().string();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every group of the review page's API, least certain first. */
        List<JsonNode> reviewGroups(long project) {
            List<JsonNode> groups = new ArrayList<>();
            for (int offset = 0; ; offset += 100) {
                JsonNode page = call("GET", "ui/api/projects/" + project + "/review?limit=100&offset=" + offset, null, null);
                page.path("groups").forEach(groups::add);
                if (page.path("groups").isEmpty() || groups.size() >= page.path("total").asInt()) return groups;
            }
        }

        /** Accepts a propagated label through the review API, under the account of {@code token}. */
        JsonNode accept(long project, long task, String token) {
            return call("POST", "ui/api/projects/" + project + "/tasks/" + task + "/accept", JSON.createObjectNode(), token);
        }

        JsonNode reject(long project, long task) {
            return call("POST", "ui/api/projects/" + project + "/tasks/" + task + "/reject", JSON.createObjectNode(), null);
        }

        /** Takes Exemplar out of the project through the running backend: {@code {"views", "tasks", "predictions"}} removed. */
        JsonNode remove(long project) {
            // it writes every task that carries Exemplar's fields: as long as the project is large
            return call(http.newBuilder().readTimeout(Duration.ZERO).build(), "POST", "projects/" + project + "/remove",
                    JSON.createObjectNode(), null);
        }

        /** Posts a webhook event as Label Studio does and returns how long the acknowledgement took, in milliseconds. */
        double webhook(JsonNode event) {
            long start = System.nanoTime();
            call("POST", "webhook", event, null);
            return (System.nanoTime() - start) / 1e6;
        }

        /** Until the backend has had no prediction to write for two seconds. */
        void awaitWritten(long project, Duration limit) {
            long[] quietSince = {System.nanoTime()};
            await("the propagated labels to be written", limit, Duration.ofMillis(250), () -> {
                if (status(project).path("propagation").path("to_write").asInt() > 0) quietSince[0] = System.nanoTime();
                return System.nanoTime() - quietSince[0] > 2_000_000_000L ? Boolean.TRUE : null;
            });
        }

        /** True while a sync is queued or running. */
        boolean syncing() {
            return backend.sync().busy();
        }

        private JsonNode optional(String method, String path, JsonNode body) {
            try {
                return call(method, path, body, null);
            } catch (BackendFailure e) {
                if (e.status == 404) return null;
                throw e;
            }
        }

        private JsonNode call(String method, String path, JsonNode body, String token) {
            return call(http, method, path, body, token);
        }

        private JsonNode call(OkHttpClient http, String method, String path, JsonNode body, String token) {
            Request.Builder rb = new Request.Builder().url(base.resolve("/" + path))
                    .method(method, body == null ? null : RequestBody.create(body.toString(), JSON_TYPE));
            if (token != null) rb.header(ReviewRoutes.TOKEN_HEADER, token);
            try (Response r = http.newCall(rb.build()).execute()) {
                String text = r.body() == null ? "" : r.body().string();
                if (!r.isSuccessful()) throw new BackendFailure(method + " /" + path.replaceAll("\\?.*", ""), r.code(), text);
                return text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(method + " /" + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            backend.close();
            store.close();
        }
    }

    /** The backend answered with an error status. */
    static final class BackendFailure extends RuntimeException {
        final int status;

        BackendFailure(String request, int status, String body) {
            super(request + " answered " + status + (body.isBlank() ? "" : ": " + body));
            this.status = status;
        }
    }
}
