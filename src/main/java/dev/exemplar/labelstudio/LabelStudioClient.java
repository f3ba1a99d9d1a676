package dev.exemplar.labelstudio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.json.Json;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * REST client for one Label Studio server and one API key. Safe to share between threads.
 *
 * <p>Every failure is a {@link LabelStudioException}. Idempotent requests (GET, PATCH with a whole value,
 * DELETE, the token exchange) are retried on connection failures, 429 and 5xx with exponential backoff
 * and jitter, waiting at least what a {@code Retry-After} asks (either form, at most a minute); POSTs that
 * create something are retried only when the connection was refused or on 429, since then Label Studio
 * never ran them, except a tab, which is looked for before it is created again ({@link #createView}). A 401 with a personal access token refreshes the access token once and
 * repeats the request once. The Authorization header is never logged and never put in an exception.
 */
public final class LabelStudioClient {
    private static final Logger LOG = LoggerFactory.getLogger(LabelStudioClient.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final Set<String> CLOUD_SCHEMES = Set.of("s3", "gs", "gcs", "azure-blob");
    static final int LOOKUP_PAGE = 100;
    /** The longest a Retry-After is honoured: a hostile or mistaken value cannot stall a sync for longer. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final HttpUrl base;
    private final OkHttpClient http;
    private final OkHttpClient media;
    /** For media from listed hosts: connects only to the addresses the policy allows. */
    private final OkHttpClient listedMedia;
    private final Credential credential;
    private final FetchPolicy mediaPolicy;
    private final int maxRetries;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Consumer<String> log;
    private final LabelStudioCalls calls;
    private final Clock clock;

    private LabelStudioClient(Builder b) {
        HttpUrl url = HttpUrl.parse(b.url);
        if (url == null) throw new IllegalArgumentException("not an http(s) URL: " + b.url);
        this.base = url;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(b.connectTimeout).readTimeout(b.readTimeout).writeTimeout(b.readTimeout)
                // a pooled connection the server closed while idle (Label Studio's servers close idle
                // keep-alive connections) fails the next request on it; OkHttp then repeats the request on
                // a fresh connection. It would also repeat a request whose body it already sent, so a
                // creating request's body is one-shot (see send): OkHttp never sends it twice. The other
                // retries (backoff, 429, 5xx) are ours.
                .retryOnConnectionFailure(true)
                .build();
        // media redirects are followed by hand so that every hop is checked against the allow-list
        this.media = http.newBuilder().followRedirects(false).followSslRedirects(false).dns(b.mediaDns).build();
        // Label Studio's own origin and the hop right after its redirect (a presigned storage URL) are trusted
        this.mediaPolicy = FetchPolicy.onlyListed(b.mediaHosts, url, b.maxMediaBytes);
        // Label Studio's address is trusted as configured, wherever it resolves; a listed host only at allowed addresses
        this.listedMedia = media.newBuilder().dns(mediaPolicy.dns(b.mediaDns)).build();
        this.maxRetries = b.maxRetries;
        this.backoff = b.backoff;
        this.maxBackoff = b.maxBackoff;
        this.log = b.log;
        this.calls = b.calls;
        this.clock = b.clock;
        this.credential = new Credential(b.key, this::exchangeRefreshToken, b.refreshMargin, b.clock);
    }

    public static Builder builder(String url, String apiKey) {
        return new Builder(url, apiKey);
    }

    /** Whether the key was recognised as a personal access token (JWT) rather than a legacy token. */
    boolean usesPersonalAccessToken() {
        return credential.isPersonalAccessToken();
    }

    public HttpUrl baseUrl() {
        return base;
    }

    // ---------------------------------------------------------------- projects

    public Project project(long projectId) {
        return exchange("GET", api("projects", projectId), null, Kind.IDEMPOTENT, Project.class);
    }

    /**
     * Sets the model version whose predictions the labeling UI shows as pre-annotations and whose
     * scores the Data Manager orders by. Label Studio refuses (400) a version that is neither a
     * connected backend's title nor one that already has predictions in the project.
     */
    public Project setModelVersion(long projectId, String modelVersion) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model_version", modelVersion);
        return exchange("PATCH", api("projects", projectId), body, Kind.IDEMPOTENT, Project.class);
    }

    // ---------------------------------------------------------------- tasks

    public Task task(long taskId) {
        return exchange("GET", api("tasks", taskId), null, Kind.IDEMPOTENT, Task.class);
    }

    /**
     * The project's tasks, page by page, read lazily. The walk ends at the first empty page, once
     * {@code page * pageSize >= total}, or when Label Studio answers 404 for a page after the first
     * ("Invalid page.", as it does past the last page, e.g. when tasks were deleted during the walk).
     */
    Iterable<TaskPage> taskPages(long projectId, int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("page size must be positive");
        return () -> new Iterator<>() {
            private int page = 0;
            private boolean done = false;
            private TaskPage next;

            @Override public boolean hasNext() {
                if (next == null && !done) next = fetch(++page);
                return next != null;
            }

            @Override public TaskPage next() {
                if (!hasNext()) throw new NoSuchElementException();
                TaskPage p = next;
                next = null;
                return p;
            }

            private TaskPage fetch(int n) {
                HttpUrl url = base.newBuilder().addPathSegments("api/tasks")
                        .addQueryParameter("project", Long.toString(projectId))
                        .addQueryParameter("page", Integer.toString(n))
                        .addQueryParameter("page_size", Integer.toString(pageSize)).build();
                JsonNode body;
                try {
                    body = call("GET", url, null, Kind.IDEMPOTENT);
                } catch (LabelStudioException e) {
                    // past the last page; on page 1 a 404 means the project itself is missing
                    if (e.status() == 404 && n > 1) { done = true; return null; }
                    throw e;
                }
                List<Task> tasks = convert(body.path("tasks"), new TypeReference<List<Task>>() { }, "GET", url);
                long total = body.path("total").asLong(-1);
                if (tasks.isEmpty()) { done = true; return null; }
                if (total >= 0 && (long) n * pageSize >= total) done = true;
                return new TaskPage(n, tasks, total);
            }
        };
    }

    /** Every task of the project, read lazily 100 at a time, in Label Studio's default order (by id). */
    public Stream<Task> tasks(long projectId) {
        Iterator<TaskPage> pages = taskPages(projectId, 100).iterator();
        Iterator<Task> flat = new Iterator<>() {
            private Iterator<Task> current = List.<Task>of().iterator();

            @Override public boolean hasNext() {
                while (!current.hasNext() && pages.hasNext()) current = pages.next().tasks().iterator();
                return current.hasNext();
            }

            @Override public Task next() {
                if (!hasNext()) throw new NoSuchElementException();
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(flat, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Sets the given {@code data} fields of a task and keeps all its other data fields.
     *
     * <p>Label Studio replaces a task's {@code data} as a whole on PATCH (it is a JSON field, not merged),
     * so dropping a key such as {@code image} would lose the image. This method therefore reads the task,
     * merges {@code fields} into its current data and sends the merged object. A change another client
     * makes between the read and the write is lost; Label Studio offers no conditional update.
     */
    public Task updateTaskData(long taskId, ObjectNode fields) {
        return updateTaskData(task(taskId), fields);
    }

    /**
     * As {@link #updateTaskData(long, ObjectNode)}, merging into {@code current.data()} as already read
     * (e.g. from {@link #tasks}), which saves a GET per task.
     */
    public Task updateTaskData(Task current, ObjectNode fields) {
        ObjectNode merged = current.data() == null ? Json.MAPPER.createObjectNode() : current.data().deepCopy();
        merged.setAll(fields);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", merged);
        // a PATCH with the whole merged value gives the same result however often it is sent
        return exchange("PATCH", api("tasks", current.id()), body, Kind.IDEMPOTENT, Task.class);
    }

    /** Removes the named {@code data} fields of a task and keeps all the others (the whole data is sent, as above). */
    public Task removeTaskData(Task current, Collection<String> names) {
        ObjectNode kept = current.data() == null ? Json.MAPPER.createObjectNode() : current.data().deepCopy();
        kept.remove(names);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", kept);
        return exchange("PATCH", api("tasks", current.id()), body, Kind.IDEMPOTENT, Task.class);
    }

    // ---------------------------------------------------------------- predictions

    /** Creates one prediction. Not retried once sent: Label Studio has no idempotency key, so a repeat could duplicate it. */
    public Prediction createPrediction(long taskId, ArrayNode result, Double score, String modelVersion) {
        return createPrediction(Prediction.of(taskId, result, score, modelVersion));
    }

    public Prediction createPrediction(Prediction prediction) {
        JsonNode body = Json.MAPPER.valueToTree(prediction);
        return exchange("POST", apiDir("predictions"), body, Kind.CREATE, Prediction.class);
    }

    /**
     * Creates many predictions in one request ({@code POST /api/projects/{id}/import/predictions}).
     * Returns the count Label Studio reports as created, or -1 when its answer has none.
     */
    public int importPredictions(long projectId, Collection<Prediction> predictions) {
        ArrayNode body = Json.MAPPER.valueToTree(predictions);
        HttpUrl url = base.newBuilder().addPathSegments("api/projects").addPathSegment(Long.toString(projectId))
                .addPathSegments("import/predictions").build();
        return call("POST", url, body, Kind.CREATE).path("created").asInt(-1);
    }

    /** Replaces a prediction's result and score; the same PATCH twice gives the same prediction. */
    public Prediction updatePrediction(long predictionId, Prediction wanted) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("result", wanted.result());
        if (wanted.score() != null) body.put("score", wanted.score());
        if (wanted.modelVersion() != null) body.put("model_version", wanted.modelVersion());
        return exchange("PATCH", api("predictions", predictionId), body, Kind.IDEMPOTENT, Prediction.class);
    }

    /**
     * Creates an annotation on a task under this client's account, from a prediction when
     * {@code predictionId} is given ({@code POST /api/tasks/{id}/annotations/}). Returns its id.
     */
    public long createAnnotation(long taskId, ArrayNode result, Long predictionId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("result", result);
        body.put("was_cancelled", false);
        body.put("ground_truth", false);
        if (predictionId != null) body.put("parent_prediction", predictionId);
        HttpUrl url = base.newBuilder().addPathSegments("api/tasks").addPathSegment(Long.toString(taskId))
                .addPathSegments("annotations/").build();
        return call("POST", url, body, Kind.CREATE).path("id").asLong();
    }

    public List<Prediction> predictions(long taskId) {
        HttpUrl url = apiDir("predictions").newBuilder().addQueryParameter("task", Long.toString(taskId)).build();
        return convert(call("GET", url, null, Kind.IDEMPOTENT), new TypeReference<List<Prediction>>() { }, "GET", url);
    }

    /**
     * The predictions Label Studio holds on each of these tasks, by task id (a task it no longer has
     * is left out), read through the Data Manager's task list, {@value #LOOKUP_PAGE} tasks a request:
     * one request where {@link #predictions(long)} would make one a task.
     */
    public Map<Long, List<Prediction>> predictions(long projectId, Collection<Long> taskIds) {
        Map<Long, List<Prediction>> out = new LinkedHashMap<>();
        for (Task t : tasks(projectId, taskIds)) out.put(t.id(), t.predictions() == null ? List.of() : t.predictions());
        return out;
    }

    /**
     * These tasks (those Label Studio still has), with their data and predictions, through the Data Manager's task
     * list, {@value #LOOKUP_PAGE} a request. Unlike {@link #task(long)}, the list does not make Label Studio ask the
     * project's ML backends for predictions.
     */
    public List<Task> tasks(long projectId, Collection<Long> taskIds) {
        List<Task> out = new ArrayList<>();
        List<Long> ids = List.copyOf(taskIds);
        for (int from = 0; from < ids.size(); from += LOOKUP_PAGE) {
            ObjectNode query = Json.MAPPER.createObjectNode();
            ObjectNode selected = query.putObject("selectedItems").put("all", false);
            ids.subList(from, Math.min(ids.size(), from + LOOKUP_PAGE)).forEach(selected.putArray("included")::add);
            HttpUrl url = base.newBuilder().addPathSegments("api/tasks")
                    .addQueryParameter("project", Long.toString(projectId)).addQueryParameter("fields", "all")
                    .addQueryParameter("page", "1").addQueryParameter("page_size", Integer.toString(LOOKUP_PAGE))
                    .addQueryParameter("query", query.toString()).build();
            out.addAll(convert(call("GET", url, null, Kind.IDEMPOTENT).path("tasks"), new TypeReference<List<Task>>() { }, "GET", url));
        }
        return out;
    }

    /**
     * Deletes every prediction of one model version in the project, in one request
     * ({@code DELETE /api/projects/{id}/model-versions/}); returns how many went. Label Studio then
     * clears the project's model version if it was this version or any backend's title.
     */
    public int deletePredictions(long projectId, String modelVersion) {
        HttpUrl url = base.newBuilder().addPathSegments("api/projects").addPathSegment(Long.toString(projectId))
                .addPathSegment("model-versions").addPathSegment("").build();
        return call("DELETE", url, Json.MAPPER.createObjectNode().put("model_version", modelVersion), Kind.IDEMPOTENT)
                .path("deleted_predictions").asInt(0);
    }

    /** Returns false when the prediction was already gone (404), so a repeated delete is harmless. */
    public boolean deletePrediction(long predictionId) {
        return deleteIfPresent(apiDir("predictions").newBuilder().addPathSegment(Long.toString(predictionId)).addPathSegment("").build());
    }

    // ---------------------------------------------------------------- Data Manager views

    public List<View> views(long projectId) {
        HttpUrl url = base.newBuilder().addPathSegments("api/dm/views").addQueryParameter("project", Long.toString(projectId)).build();
        return convert(call("GET", url, null, Kind.IDEMPOTENT), new TypeReference<List<View>>() { }, "GET", url);
    }

    View view(long viewId) {
        return exchange("GET", api("dm/views", viewId), null, Kind.IDEMPOTENT, View.class);
    }

    /**
     * Creates a tab; Label Studio appends it after the existing ones. See {@link View#data}.
     *
     * <p>Label Studio has no idempotency key, so a 5xx or a lost answer leaves unknown whether the tab was made.
     * The project's tabs are then listed: a tab with this title is taken to be the one asked for (its data
     * set to {@code data} when it differs) and nothing is created; otherwise the creation is retried with
     * backoff. A second tab of the same title is thus never made, though one the project already had is reused.
     */
    public View createView(long projectId, ObjectNode data) {
        HttpUrl url = base.newBuilder().addPathSegments("api/dm/views").build();
        String title = data.path("title").asText(null);
        for (int attempt = 0; ; attempt++) {
            try {
                return exchange("POST", url, viewBody(projectId, data), Kind.CREATE, View.class);
            } catch (LabelStudioException e) {
                if (title == null || !outcomeUnknown(e)) throw e;
                Optional<View> there = views(projectId).stream().filter(v -> title.equals(v.title())).max(Comparator.comparingLong(View::id));
                if (there.isPresent()) {
                    View v = there.get();
                    log.accept("POST " + pathOf(url) + " failed (" + e.getMessage() + ") but tab " + v.id() + " has the title asked for: kept");
                    return data.equals(v.data()) ? v : updateView(v.id(), projectId, data);
                }
                if (attempt >= maxRetries) throw e;
                log.accept("POST " + pathOf(url) + " failed and made no tab: retrying");
                pause(attempt, null, "POST", url);
            }
        }
    }

    /** Whether a creating request may or may not have been run: a 5xx, or no (readable) answer to one that was sent. */
    private static boolean outcomeUnknown(LabelStudioException e) {
        if (e.status() >= 500) return true;
        if (e.status() != 0) return false;
        Throwable cause = e.getCause();
        // a connection that never opened ran nothing, and was retried already
        return cause instanceof IOException && !(cause instanceof ConnectException) && !(cause instanceof UnknownHostException);
    }

    /** Replaces the tab's {@code data} with {@code data} (Label Studio stores it whole): pass every key to keep. */
    public View updateView(long viewId, long projectId, ObjectNode data) {
        return exchange("PATCH", api("dm/views", viewId), viewBody(projectId, data), Kind.IDEMPOTENT, View.class);
    }

    /** Returns false when the view was already gone (404). */
    public boolean deleteView(long viewId) {
        return deleteIfPresent(api("dm/views", viewId));
    }

    private ObjectNode viewBody(long projectId, ObjectNode data) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("project", projectId);
        body.set("data", data);
        return body;
    }

    // ---------------------------------------------------------------- ML backends

    public List<MlBackend> mlBackends(long projectId) {
        HttpUrl url = base.newBuilder().addPathSegments("api/ml").addQueryParameter("project", Long.toString(projectId)).build();
        return convert(call("GET", url, null, Kind.IDEMPOTENT), new TypeReference<List<MlBackend>>() { }, "GET", url);
    }

    /** Disconnects an ML backend from its project; false when it was already gone (404). */
    public boolean deleteMlBackend(long backendId) {
        return deleteIfPresent(api("ml", backendId));
    }

    // ---------------------------------------------------------------- webhooks

    public List<Webhook> webhooks(long projectId) {
        HttpUrl url = apiDir("webhooks").newBuilder().addQueryParameter("project", Long.toString(projectId)).build();
        return convert(call("GET", url, null, Kind.IDEMPOTENT), new TypeReference<List<Webhook>>() { }, "GET", url);
    }

    public Webhook createWebhook(Webhook webhook) {
        return exchange("POST", apiDir("webhooks"), Json.MAPPER.valueToTree(webhook), Kind.CREATE, Webhook.class);
    }

    /**
     * Replaces a webhook's headers, which Label Studio sends with each of its events; its other fields stay. Its actions
     * go along: Label Studio's PATCH sets a webhook's actions to those in the body, none when the body has none.
     */
    public Webhook updateWebhookHeaders(Webhook webhook, ObjectNode headers) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("headers", headers);
        body.set("actions", Json.MAPPER.valueToTree(webhook.actions() == null ? List.of() : webhook.actions()));
        return exchange("PATCH", apiDir("webhooks").newBuilder().addPathSegment(Long.toString(webhook.id())).addPathSegment("").build(),
                body, Kind.IDEMPOTENT, Webhook.class);
    }

    public boolean deleteWebhook(long webhookId) {
        return deleteIfPresent(apiDir("webhooks").newBuilder().addPathSegment(Long.toString(webhookId)).addPathSegment("").build());
    }

    // ---------------------------------------------------------------- media

    /**
     * The bytes of a task's media, at most the client's size cap.
     *
     * <ul>
     *   <li>{@code /data/upload/...}, {@code /data/local-files/?d=...} and other relative URLs resolve
     *       against Label Studio's URL and carry the credential;</li>
     *   <li>absolute URLs on Label Studio's scheme, host and port carry the credential;</li>
     *   <li>other hosts get no credential and are fetched only when on the allow-list, and only from the
     *       addresses the {@link FetchPolicy#allowsAddress policy} allows, else {@link LabelStudioException.HostNotAllowed};</li>
     *   <li>{@code s3://}, {@code gs://}, {@code azure-blob://} go through Label Studio's
     *       {@code /tasks/{taskId}/presign/?fileuri=<base64url(uri)>}, which redirects to a presigned URL;
     *       a redirect Label Studio itself gives is followed to any host, without the credential.</li>
     * </ul>
     *
     * @param taskId the task the URL belongs to; needed for cloud URIs only
     */
    public byte[] downloadMedia(String url, Long taskId) {
        HttpUrl target = resolveMedia(url, taskId);
        HttpUrl via = null;
        for (int hop = 0; ; hop++) {
            try {
                mediaPolicy.checkHop(target, via);
            } catch (FetchPolicy.Refused e) {
                throw new LabelStudioException.HostNotAllowed(pathOf(target), target.host());
            }
            boolean toLabelStudio = mediaPolicy.trusted(target);
            boolean trusted = toLabelStudio || (via != null && mediaPolicy.trusted(via));
            Response r = send(trusted ? media : listedMedia, "GET", target, null, Kind.IDEMPOTENT, toLabelStudio);
            try (r) {
                if (r.isRedirect()) {
                    HttpUrl next;
                    try {
                        next = mediaPolicy.redirect(target, r.header("Location"), hop);
                    } catch (FetchPolicy.Refused e) {
                        throw new LabelStudioException("GET", pathOf(target), r.code(), "unusable or too many redirects: " + e.getMessage(), null);
                    }
                    via = target;
                    target = next;
                    continue;
                }
                if (!r.isSuccessful()) throw failure("GET", target, r);
                return readCapped(r.body(), target);
            } catch (IOException e) {
                throw new LabelStudioException("GET", pathOf(target), 0, credential.mask(String.valueOf(e.getMessage())), e);
            }
        }
    }

    private HttpUrl resolveMedia(String url, Long taskId) {
        int colon = url.indexOf("://");
        String scheme = colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (CLOUD_SCHEMES.contains(scheme)) {
            if (taskId == null) throw new IllegalArgumentException("a cloud URI needs its task id to be presigned");
            String encoded = Base64.getUrlEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8));
            return base.newBuilder().addPathSegment("tasks").addPathSegment(Long.toString(taskId))
                    .addPathSegment("presign").addPathSegment("").addQueryParameter("fileuri", encoded).build();
        }
        // only http(s): a file: URL, or any other scheme, is never read from this machine
        HttpUrl resolved = colon > 0 ? HttpUrl.parse(url) : base.resolve(url);
        if (resolved == null) throw new LabelStudioException("GET", url, 0, "not a media URL this client can fetch", null);
        if (mediaPolicy.trusted(resolved) && resolved.encodedPath().equals("/data/local-files/")) {
            // Label Studio confines d to its document root; a path that climbs out is not even asked for
            String d = resolved.queryParameter("d");
            try {
                if (d != null) FetchPolicy.confineRelative(d, "local-files path " + d, "Label Studio's local-files root");
            } catch (FetchPolicy.Refused e) {
                throw new LabelStudioException("GET", pathOf(resolved), 0, e.getMessage(), null);
            }
        }
        return resolved;
    }

    private byte[] readCapped(ResponseBody body, HttpUrl url) throws IOException {
        // the declared length may be absent or false, so the cap also bounds what is read
        try (InputStream in = body.byteStream()) {
            mediaPolicy.checkDeclaredLength(body.contentLength(), pathOf(url));
            return mediaPolicy.readCapped(in, pathOf(url));
        } catch (FetchPolicy.Refused e) {
            throw new LabelStudioException.TooLarge(pathOf(url), mediaPolicy.maxBytes());
        }
    }

    // ---------------------------------------------------------------- transport

    /** How a request may be repeated after a failure. */
    private enum Kind {
        /** Repeating it gives the same result: retried on connection failures, 429 and 5xx. */
        IDEMPOTENT,
        /** Creates something: repeated only when the connection was refused or on 429, i.e. it was not run. */
        CREATE
    }

    private HttpUrl api(String collection, long id) {
        return base.newBuilder().addPathSegments("api/" + collection).addPathSegment(Long.toString(id)).build();
    }

    /** Collections Label Studio routes with a trailing slash (DRF routers), as seen in real traffic. */
    private HttpUrl apiDir(String collection) {
        return base.newBuilder().addPathSegments("api/" + collection).addPathSegment("").build();
    }

    private <T> T exchange(String method, HttpUrl url, JsonNode body, Kind kind, Class<T> type) {
        JsonNode answer = call(method, url, body, kind);
        if (answer.isMissingNode()) throw new LabelStudioException(method, pathOf(url), 200, "empty answer where a JSON object was expected", null);
        try {
            return Json.MAPPER.treeToValue(answer, type);
        } catch (IOException e) {
            throw new LabelStudioException(method, pathOf(url), 0, "unexpected answer: " + e.getMessage(), e);
        }
    }

    private <T> T convert(JsonNode node, TypeReference<T> type, String method, HttpUrl url) {
        try {
            return Json.MAPPER.readerFor(type).readValue(node);
        } catch (IOException e) {
            throw new LabelStudioException(method, pathOf(url), 0, "unexpected answer: " + e.getMessage(), e);
        }
    }

    private boolean deleteIfPresent(HttpUrl url) {
        try {
            call("DELETE", url, null, Kind.IDEMPOTENT);
            return true;
        } catch (LabelStudioException e) {
            if (e.status() == 404) return false;
            throw e;
        }
    }

    /** Sends an authenticated JSON request and returns the parsed answer (a missing node for no body, e.g. a 204). */
    private JsonNode call(String method, HttpUrl url, JsonNode body, Kind kind) {
        for (int cut = 0; ; cut++) {
            try (Response r = send(http, method, url, body, kind, true)) {
                if (!r.isSuccessful()) throw failure(method, url, r);
                String text;
                try {
                    text = r.body() == null ? "" : r.body().string();
                } catch (IOException e) {
                    // the connection broke after the status line: an idempotent request is simply sent again;
                    // a creating one may have been applied, so it is left to the caller to find out
                    boolean retry = kind == Kind.IDEMPOTENT && cut < maxRetries;
                    log.accept("<-- " + method + " " + pathOf(url) + " answer cut off: " + e.getClass().getSimpleName()
                            + (retry ? ", retrying" : ""));
                    if (retry) { pause(cut, null, method, url); continue; }
                    String why = kind == Kind.CREATE ? "answer cut off (not retried, the request may have been applied): " : "reading the answer: ";
                    throw new LabelStudioException(method, pathOf(url), 0, credential.mask(why + e.getMessage()), e);
                }
                return text.isBlank() ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new LabelStudioException(method, pathOf(url), 0, credential.mask("reading the answer: " + e.getMessage()), e);
            }
        }
    }

    /**
     * Sends with retries and authentication; returns the last response, open. 4xx other than 401/429
     * are returned at once, as are responses after the retries are spent.
     */
    private Response send(OkHttpClient client, String method, HttpUrl url, JsonNode body, Kind kind, boolean authenticate) {
        boolean refreshed = false;
        for (int attempt = 0; ; attempt++) {
            Request.Builder rb = new Request.Builder().url(url);
            if (client == http) rb.header("Accept", "application/json"); // media servers may negotiate on it
            RequestBody content = body == null ? ("GET".equals(method) || "DELETE".equals(method) ? null : RequestBody.create(new byte[0], JSON_TYPE))
                    : RequestBody.create(body.toString(), JSON_TYPE);
            rb.method(method, content != null && kind == Kind.CREATE ? new OneShot(content) : content);
            String auth = null;
            if (authenticate) {
                auth = authHeader(method, url);
                rb.header("Authorization", auth);
            }
            Request request = rb.build();
            long start = System.nanoTime();
            log.accept("--> " + method + " " + pathOf(url) + (authenticate ? " Authorization: " + maskedScheme(auth) : ""));
            Response response;
            try {
                response = client.newCall(request).execute();
            } catch (FetchPolicy.AddressNotAllowed e) {
                log.accept("<-- " + method + " " + pathOf(url) + " refused: " + e.getMessage());
                throw new LabelStudioException.HostNotAllowed(pathOf(url), e);
            } catch (IOException e) {
                boolean neverArrived = e instanceof ConnectException || e instanceof UnknownHostException;
                boolean retry = (kind == Kind.IDEMPOTENT || e instanceof ConnectException) && attempt < maxRetries;
                log.accept("<-- " + method + " " + pathOf(url) + " failed: " + e.getClass().getSimpleName()
                        + (retry ? ", retrying" : ""));
                if (retry) { pause(attempt, null, method, url); continue; }
                String why = neverArrived ? "could not connect: " : kind == Kind.CREATE ? "no answer (not retried, the request may have been applied): " : "no answer: ";
                throw new LabelStudioException(method, pathOf(url), 0, credential.mask(why + e), e);
            }
            int code = response.code();
            calls.record(method, url.encodedPath());
            log.accept("<-- " + code + " " + method + " " + pathOf(url) + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            if (code == 401 && authenticate && !refreshed && credential.rejected(auth)) {
                // the access token may have been revoked or expired early: one new token, one more try;
                // the request was refused before it did anything, so repeating a POST is safe
                refreshed = true;
                response.close();
                attempt--;
                continue;
            }
            // a 429 is the rate limiter refusing the request before any view ran it, so even a creating
            // request is repeated; a 5xx may come after the write was applied, so only idempotent ones are
            if ((code == 429 || code >= 500 && kind == Kind.IDEMPOTENT) && attempt < maxRetries) {
                String retryAfter = response.header("Retry-After");
                response.close();
                pause(attempt, retryAfter, method, url);
                continue;
            }
            return response;
        }
    }

    /**
     * A body OkHttp may send once only. With {@code retryOnConnectionFailure} OkHttp repeats a request after
     * an I/O failure, even one that came after the body was written (e.g. "unexpected end of stream" while
     * reading the answer), unless the body is one-shot; a request that never started sending is still
     * repeated, which cannot double a write.
     */
    private static final class OneShot extends RequestBody {
        private final RequestBody body;

        OneShot(RequestBody body) { this.body = body; }

        @Override public MediaType contentType() { return body.contentType(); }

        @Override public long contentLength() throws IOException { return body.contentLength(); }

        @Override public void writeTo(okio.BufferedSink sink) throws IOException { body.writeTo(sink); }

        @Override public boolean isOneShot() { return true; }
    }

    private String authHeader(String method, HttpUrl url) {
        try {
            return credential.header();
        } catch (LabelStudioException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LabelStudioException(method, pathOf(url), 0, credential.mask("no access token: " + e.getMessage()), e);
        }
    }

    /** Exchanges the personal access token for an access token; idempotent, so retried like a GET. */
    private String exchangeRefreshToken(String refreshToken) {
        HttpUrl url = base.newBuilder().addPathSegments("api/token/refresh/").build();
        ObjectNode body = Json.MAPPER.createObjectNode().put("refresh", refreshToken);
        try (Response r = send(http, "POST", url, body, Kind.IDEMPOTENT, false)) {
            if (!r.isSuccessful()) throw failure("POST", url, r);
            JsonNode answer = Json.MAPPER.readTree(r.body().string());
            String access = answer.path("access").asText("");
            if (access.isEmpty()) throw new LabelStudioException("POST", pathOf(url), r.code(), "the answer has no access token", null);
            return access;
        } catch (IOException e) {
            throw new LabelStudioException("POST", pathOf(url), 0, "reading the answer: " + e.getClass().getSimpleName(), e);
        }
    }

    private void pause(int attempt, String retryAfter, String method, HttpUrl url) {
        long cap = maxBackoff.toMillis();
        long exp = Math.min(cap, backoff.toMillis() << Math.min(attempt, 20));
        // half fixed, half random: spreads clients that failed together without waiting too little
        long millis = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        long asked = retryAfterMillis(retryAfter);
        if (asked > 0) millis = Math.max(millis, Math.min(MAX_RETRY_AFTER.toMillis(), asked));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabelStudioException(method, pathOf(url), 0, "interrupted while waiting to retry", e);
        }
    }

    /**
     * The wait a {@code Retry-After} header asks for, in either of its forms (delay-seconds, or an
     * HTTP-date, measured against this client's clock); 0 when absent, unreadable or in the past.
     */
    long retryAfterMillis(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) return 0;
        String v = retryAfter.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds <= 0 ? 0 : seconds >= MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER.toMillis() : seconds * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                java.time.Instant at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(clock.instant(), at).toMillis());
            } catch (java.time.format.DateTimeParseException | ArithmeticException unreadable) {
                return 0;
            }
        }
    }

    private LabelStudioException failure(String method, HttpUrl url, Response r) {
        String text;
        try {
            text = r.peekBody(64 * 1024).string();
        } catch (IOException | RuntimeException e) {
            text = "";
        }
        String detail = credential.mask(errorText(text));
        LabelStudioException e = new LabelStudioException(method, pathOf(url), r.code(), detail, null);
        log.accept("Label Studio " + method + " " + pathOf(url) + " answered " + r.code() + (detail.isEmpty() ? "" : ": " + detail));
        return e;
    }

    /**
     * Label Studio's error body is {@code {"detail": ..., "validation_errors": ..., "exc_info": ...}};
     * DRF validation errors are a field map. {@code exc_info} is a server traceback and is left out.
     */
    private String errorText(String text) {
        if (text.isBlank()) return "";
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n.isObject()) {
                ObjectNode o = ((ObjectNode) n).deepCopy();
                String detail = o.path("detail").isTextual() ? o.path("detail").asText() : null;
                JsonNode validation = o.get("validation_errors");
                if (detail != null) {
                    return validation != null && !validation.isNull() && !validation.isEmpty() ? detail + " " + validation : detail;
                }
                o.remove(List.of("exc_info", "id", "version", "status_code"));
                return shorten(o.toString());
            }
            return shorten(n.toString());
        } catch (IOException e) {
            return shorten(text.strip());
        }
    }

    private static String shorten(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    private static String pathOf(HttpUrl url) {
        String q = url.encodedQuery();
        return url.encodedPath() + (q == null ? "" : "?" + q);
    }

    private static String maskedScheme(String header) {
        int space = header.indexOf(' ');
        return (space > 0 ? header.substring(0, space) : "") + " ***";
    }

    /** Settings; only the URL and key are required. */
    public static final class Builder {
        private final String url;
        private final String key;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRetries = 3;
        private Duration backoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Duration refreshMargin = Duration.ofSeconds(30);
        private Set<String> mediaHosts = Set.of();
        private long maxMediaBytes = FetchPolicy.DEFAULT_MAX_BYTES;
        private Dns mediaDns = Dns.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> log = LOG::debug;
        private LabelStudioCalls calls = new LabelStudioCalls();

        private Builder(String url, String key) {
            this.url = url;
            this.key = key;
        }

        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }

        public Builder readTimeout(Duration d) { this.readTimeout = d; return this; }

        /** Retries after the first attempt, for idempotent requests. */
        public Builder maxRetries(int n) { this.maxRetries = n; return this; }

        /** The first retry waits about this long; each next one twice as long, up to {@code max}. */
        public Builder backoff(Duration first, Duration max) { this.backoff = first; this.maxBackoff = max; return this; }

        /** An access token is refreshed this long before its {@code exp}. */
        public Builder refreshMargin(Duration d) { this.refreshMargin = d; return this; }

        /** Hosts other than Label Studio's from which media may be fetched (without the credential). */
        public Builder mediaHosts(Set<String> hosts) { this.mediaHosts = Set.copyOf(hosts); return this; }

        public Builder maxMediaBytes(long n) { this.maxMediaBytes = n; return this; }

        /** How the hosts of media are looked up (the system's resolver unless told); Label Studio's API uses the system's. */
        public Builder mediaDns(Dns dns) { this.mediaDns = dns; return this; }

        public Builder clock(Clock c) { this.clock = c; return this; }

        /** Where request lines go (default: SLF4J debug). Lines never hold a credential. */
        public Builder log(Consumer<String> sink) { this.log = sink; return this; }

        /** Where requests are counted (default: a count of this client's own). */
        public Builder calls(LabelStudioCalls c) { this.calls = c; return this; }

        public LabelStudioClient build() { return new LabelStudioClient(this); }
    }
}
