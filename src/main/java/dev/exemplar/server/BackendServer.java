package dev.exemplar.server;

import dev.exemplar.backend.Review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.config.Settings;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Label Studio ML backend's HTTP surface. Every answer comes from state: Label Studio calls
 * /health and /setup before nearly everything and waits 1 s and 3 s for them, so nothing here
 * computes inline.
 */
public final class BackendServer implements AutoCloseable {
    /** What /setup hands on: the sync of a project starts or continues in the background. */
    public interface Projects {
        void setup(SetupRequest request);

        /** An event was committed to the durable queue: a chance to handle it now rather than at the next poll. */
        default void eventQueued() { }

        /** More metrics, in Prometheus' text format. */
        default String metrics() {
            return "";
        }

        /** Takes Exemplar out of the project; answers what was removed. */
        default Map<String, Object> remove(long projectId) throws Exception {
            throw new io.javalin.http.NotFoundResponse("this backend cannot remove projects");
        }

        static Projects of(java.util.function.Consumer<SetupRequest> setup, Runnable eventQueued) {
            return of(setup, eventQueued, () -> "");
        }

        static Projects of(java.util.function.Consumer<SetupRequest> setup, Runnable eventQueued, java.util.function.Supplier<String> metrics) {
            return new Projects() {
                @Override
                public void setup(SetupRequest request) {
                    setup.accept(request);
                }

                @Override
                public void eventQueued() {
                    eventQueued.run();
                }

                @Override
                public String metrics() {
                    return metrics.get();
                }
            };
        }

        Projects NONE = request -> { };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Store store;
    private final Projects projects;
    private final Review review;
    private final Metrics metrics = new Metrics();
    private Javalin app;

    public BackendServer(Settings settings, Store store, Projects projects) {
        this(settings, store, projects, null);
    }

    /** With {@code review}, also the review page of propagated labels under /ui; null leaves /ui answering 404. */
    public BackendServer(Settings settings, Store store, Projects projects, Review review) {
        this.settings = settings;
        this.store = store;
        this.projects = projects;
        this.review = review;
    }

    /** Starts on the given port (0 for any free one) and returns the port. */
    public int start(String host, int port) {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.requestLogger.http((ctx, ms) -> metrics.record(routeOf(ctx), ctx.statusCode(), ms));
        });
        app.before(this::authenticate);
        app.get("/", this::health);
        app.get("/health", this::health);
        app.post("/setup", this::setup);
        app.post("/predict", this::predict);
        app.post("/webhook", this::webhook);
        app.get("/projects/{id}/status", this::status);
        app.get("/projects/{id}/result", this::result);
        app.post("/projects/{id}/remove", this::remove);
        app.get("/versions", ctx -> ctx.json(Map.of("versions", new String[] {modelVersion()})));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render() + stateMetrics() + projects.metrics()));
        new ReviewRoutes(review).register(app);
        app.exception(BadRequest.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
                ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .json(Map.of("error", "internal error: " + e.getClass().getSimpleName())));
        app.start(host, port);
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }

    private String modelVersion() {
        return settings.manifest().modelVersion();
    }

    private void health(Context ctx) {
        ctx.json(Map.of("status", "UP", "model_class", settings.manifest().modelClass(),
                "model_version", modelVersion(), "version", settings.manifest().version()));
    }

    private void setup(Context ctx) {
        SetupRequest request = SetupRequest.parse(body(ctx));
        remember(request);
        projects.setup(request);
        ctx.json(Map.of("model_version", modelVersion()));
    }

    /** Records the project's config; /setup comes very often, so it writes only when something changed. */
    private void remember(SetupRequest r) {
        String hash = LabelConfig.hash(r.schema());
        String field = LabelConfig.imageField(r.schema()).orElse(null);
        String extra = r.extraParams() == null ? "{}" : r.extraParams().toString();
        java.util.Optional<ProjectStore.Project> known = store.projects().get(r.projectId());
        if (known.isPresent() && hash.equals(known.get().labelConfigHash()) && java.util.Objects.equals(field, known.get().imageField())
                && extra.equals(known.get().settingsJson()) && modelVersion().equals(known.get().modelVersion())) {
            return;
        }
        store.transaction(() -> {
            store.projects().ensure(r.projectId());
            store.projects().configure(r.projectId(), hash, field, extra, modelVersion());
            // a new label config may have made Label Studio drop views; new settings change the order
            if (known.isPresent()) store.projects().phase(r.projectId(), "stale", 0);
        });
    }

    /**
     * Label Studio waits 1 s for a webhook and never retries it: the event is committed to the
     * durable queue and acknowledged at once; the work happens in the background.
     */
    private void webhook(Context ctx) {
        JsonNode event = body(ctx);
        String action = event.path("action").asText("");
        if (action.isEmpty()) throw new BadRequest("a webhook event needs \"action\"");
        JsonNode project = event.path("project");
        Long projectId = project.isObject() && project.path("id").canConvertToLong() ? project.get("id").asLong()
                : project.canConvertToLong() ? project.asLong() : null;
        long id = store.events().enqueue(projectId, action, event.toString());
        try {
            projects.eventQueued();
        } catch (RuntimeException e) { // the event is safe in the queue; the poll will handle it
            LoggerFactory.getLogger(BackendServer.class).warn("handling event {} now failed: {}", id, e.getMessage());
        }
        ctx.json(Map.of("status", "queued", "event", id));
    }

    /** Takes Exemplar out of a project while the backend runs: the work of `exemplar labelstudio remove`. */
    private void remove(Context ctx) throws Exception {
        long id = projectId(ctx);
        try {
            ctx.json(projects.remove(id));
        } catch (IllegalStateException e) {
            ctx.status(HttpStatus.CONFLICT).json(Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) { // Label Studio refused or did not answer: what is done stays done, run it again
            ctx.status(HttpStatus.BAD_GATEWAY).json(Map.of("error", "removing project " + id + " stopped: " + e.getMessage()));
        }
    }

    /** What the database holds: projects, tasks, errors, features, events by state; and each project's sync phase. */
    private String stateMetrics() {
        StringBuilder out = new StringBuilder();
        store.figures().forEach((name, value) -> {
            String metric = name.startsWith("events_") ? "exemplar_events{state=\"" + name.substring(7) + "\"}" : "exemplar_" + name;
            out.append(metric).append(' ').append(value).append('\n');
        });
        for (ProjectStore.Project p : store.projects().all()) {
            out.append("exemplar_project_sync_done{project=\"").append(p.id()).append("\",phase=\"").append(p.syncPhase())
                    .append("\"} ").append(p.progressDone()).append('\n');
        }
        return out.toString();
    }

    private static long projectId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches("\\d{1,18}")) throw new BadRequest("project id must be a number, got '" + id + "'");
        return Long.parseLong(id);
    }

    /** Where a project's sync stands. */
    private void status(Context ctx) {
        long id = projectId(ctx);
        ProjectStore.Project p = store.projects().get(id)
                .orElseThrow(() -> new io.javalin.http.NotFoundResponse("project " + id + " is not known: Label Studio has not called /setup for it"));
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("project", id);
        out.put("phase", p.syncPhase());
        Map<String, Object> progress = new java.util.LinkedHashMap<>();
        progress.put("done", p.progressDone());
        progress.put("total", p.progressTotal());
        double seconds = p.phaseStartedAt() == null ? 0 : (p.updatedAt().toEpochMilli() - p.phaseStartedAt().toEpochMilli()) / 1000.0;
        double rate = seconds > 0 ? p.progressDone() / seconds : 0;
        progress.put("per_second", Math.round(rate * 100) / 100.0);
        progress.put("eta_seconds", rate > 0 && p.progressTotal() >= p.progressDone()
                ? Math.round((p.progressTotal() - p.progressDone()) / rate) : null);
        out.put("progress", progress);
        out.put("summary_size", p.summarySize());
        Map<String, Object> propagation = new java.util.LinkedHashMap<>();
        java.util.List<dev.exemplar.store.LabelStore.SpreadLabel> rows = store.labels().spreadLabels(id);
        propagation.put("labelled_tasks", store.labels().labelledTasks(id).size());
        propagation.put("propagated", rows.stream().filter(r -> r.wantedJson() != null && r.state().equals("proposed")).count());
        propagation.put("to_write", rows.stream().filter(dev.exemplar.store.LabelStore.SpreadLabel::dirty).count());
        propagation.put("accepted", rows.stream().filter(r -> r.state().equals("accepted")).count());
        propagation.put("rejected", rows.stream().filter(r -> r.state().equals("rejected")).count());
        propagation.put("note", store.projects().propagationNote(id).orElse(null));
        out.put("propagation", propagation);
        out.put("last_error", p.lastError());
        out.put("updated_at", p.updatedAt() == null ? null : p.updatedAt().toString());
        ctx.json(out);
    }

    /** The current result in the design's result format, items named by task id. */
    private void result(Context ctx) {
        long id = projectId(ctx);
        dev.exemplar.store.OrderStore.OrderResult r = store.orders().read(id)
                .orElseThrow(() -> new io.javalin.http.NotFoundResponse("project " + id + " has no result yet"));
        java.util.List<String> order = r.order().stream().map(String::valueOf).toList();
        Map<String, java.util.List<dev.exemplar.summary.Result.Link>> links = new java.util.LinkedHashMap<>();
        r.links().forEach((c, ls) -> links.put(String.valueOf(c),
                ls.stream().map(l -> new dev.exemplar.summary.Result.Link(String.valueOf(l.delegate()), l.weight())).toList()));
        java.util.List<java.util.List<String>> dups = r.duplicates().stream().map(g -> g.stream().map(String::valueOf).toList()).toList();
        java.util.List<dev.exemplar.summary.Result.ItemError> errors = store.tasks().list(id).stream().filter(t -> t.error() != null)
                .map(t -> new dev.exemplar.summary.Result.ItemError(String.valueOf(t.taskId()), t.error())).toList();
        ctx.json(new dev.exemplar.summary.Result(order, r.summarySize(), links, dups, errors));
    }

    /**
     * One item per task, in order: a constituent's propagated label, as written to Label Studio,
     * with its score; for any other task an empty list of predictions, which makes Label Studio
     * store nothing, log nothing and ask again later (an empty result would be stored and block
     * later predictions; an item without "result" is logged as an error each time). Only written
     * labels are answered: one not yet written will be, and answering it here too would give the
     * task two.
     */
    private void predict(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode tasks = body.get("tasks");
        if (tasks == null || !tasks.isArray()) throw new BadRequest("predict needs \"tasks\", a list of tasks");
        String projectField = body.path("project").asText(""); // "<id>.<timestamp>"
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (JsonNode task : tasks) {
            ArrayNode predictions = results.addArray();
            long project = task.path("project").canConvertToLong() ? task.path("project").asLong()
                    : projectField.matches("\\d+(\\..*)?") ? Long.parseLong(projectField.split("\\.")[0]) : -1;
            if (project < 0 || !task.path("id").canConvertToLong()) continue;
            store.labels().spreadLabel(project, task.path("id").asLong())
                    .filter(p -> p.writtenJson() != null && !p.state().equals("rejected"))
                    .ifPresent(p -> {
                        try {
                            JsonNode w = JSON.readTree(p.writtenJson());
                            ObjectNode item = predictions.addObject();
                            item.put("model_version", modelVersion());
                            item.set("result", w.get("result"));
                            item.set("score", w.get("score"));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            // stored by Exemplar as JSON: cannot happen
                        }
                    });
        }
        ctx.json(out);
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode node = JSON.readTree(ctx.body());
            if (node == null || !node.isObject()) throw new BadRequest("the body must be a JSON object");
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Basic auth as Label Studio sends it to backends configured with it; /health stays open for
     * probes, and /webhook because Label Studio's webhooks carry no basic auth.
     */
    private void authenticate(Context ctx) {
        String user = settings.get("basic_auth_user"), pass = settings.get("basic_auth_pass");
        if (user.isEmpty() || pass.isEmpty()) return;
        String path = ctx.path();
        if (path.equals("/") || path.equals("/health") || path.equals("/webhook")) return;
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        String given = ctx.header("Authorization");
        if (given == null || !java.security.MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Login required\"");
            throw new io.javalin.http.UnauthorizedResponse("basic authentication required");
        }
    }

    /** The matched route's template ("/projects/{id}/status"): unknown paths are "other", so they cannot grow the metrics; refused ones "unmatched". */
    private static String routeOf(Context ctx) {
        try {
            String p = ctx.endpointHandlerPath();
            return p == null || p.isEmpty() || p.equals("*") ? "other" : p;
        } catch (IllegalStateException e) { // ended before any route matched: basic auth refused it
            return "unmatched";
        }
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
