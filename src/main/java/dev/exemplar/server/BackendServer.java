package dev.exemplar.server;

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

        Projects NONE = request -> { };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Store store;
    private final Projects projects;
    private final Metrics metrics = new Metrics();
    private Javalin app;

    public BackendServer(Settings settings, Store store, Projects projects) {
        this.settings = settings;
        this.store = store;
        this.projects = projects;
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
        app.get("/versions", ctx -> ctx.json(Map.of("versions", new String[] {modelVersion()})));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render()));
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
        ctx.json(Map.of("status", "queued", "event", id));
    }

    /**
     * One item per task, in order. An item without "result" makes Label Studio store nothing and
     * ask again later, whereas an empty result would be stored and block later predictions.
     */
    private void predict(Context ctx) {
        JsonNode tasks = body(ctx).get("tasks");
        if (tasks == null || !tasks.isArray()) throw new BadRequest("predict needs \"tasks\", a list of tasks");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (int i = 0; i < tasks.size(); i++) results.addObject().put("model_version", modelVersion());
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

    private static final java.util.Set<String> ROUTES = java.util.Set.of("/", "/health", "/setup", "/predict", "/versions", "/metrics", "/webhook");

    /** The path when it is one of ours: anything else is "other", so unknown paths cannot grow the metrics. */
    private static String routeOf(Context ctx) {
        return ROUTES.contains(ctx.path()) ? ctx.path() : "other";
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
