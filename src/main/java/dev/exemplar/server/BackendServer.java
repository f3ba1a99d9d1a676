package dev.exemplar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.backend.InvalidRequest;
import dev.exemplar.backend.Service;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.util.JavalinLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The Label Studio ML backend's HTTP surface: routes over the backend's {@link Service}, which answers
 * every call from state. Label Studio calls /health and /setup before nearly everything and waits
 * 1 s and 3 s for them, so nothing here computes inline.
 */
public final class BackendServer implements AutoCloseable {
    /** The most any request may carry; each route takes at most its own bound below. */
    static final int MAX_BODY_BYTES = 8 << 20;
    /** Label Studio's events carry one task or annotation, or a page of ids: far below this. */
    static final int MAX_WEBHOOK_BYTES = 1 << 20;
    /** A label config and a few settings. */
    static final int MAX_SETUP_BYTES = 1 << 20;
    /** Label Studio sends a page of tasks with their data. */
    static final int MAX_PREDICT_BYTES = 8 << 20;
    /**
     * /predict calls answered at once; more wait up to {@link #PREDICT_WAIT_MS} in arrival order, then are
     * answered 503. Each is a read of the store and its JSON, work for a core: one at a time per core keeps
     * them busy, and more only takes cores from webhooks (with 8 at once on 2 cores, the webhooks' p99 under
     * 50 /predict clients was 260 ms against 190 ms with 2), and a flood can neither take every server thread
     * nor queue without end.
     */
    static final int PREDICT_CONCURRENCY = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final long PREDICT_WAIT_MS = 250;
    /** Seconds a client refused for load is asked to wait before asking again. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** The header whose value must equal the webhook_secret setting, when that is set. */
    public static final String WEBHOOK_SECRET_HEADER = Service.WEBHOOK_SECRET_HEADER;

    private static final Logger LOG = LoggerFactory.getLogger(BackendServer.class);

    private final Settings settings;
    private final Service service;
    private final Metrics metrics = new Metrics();
    private final Semaphore predictSlots;
    private Javalin app;

    /** With a review in the service, also the review page of propagated labels under /ui; without, /ui answers 404. */
    public BackendServer(Settings settings, Service service) {
        this(settings, service, PREDICT_CONCURRENCY);
    }

    /** With this many /predict calls answered at once. */
    BackendServer(Settings settings, Service service, int predictConcurrency) {
        this.settings = settings;
        this.service = service;
        this.predictSlots = new Semaphore(predictConcurrency, true);
    }

    /** Starts on the given port (0 for any free one) and returns the port. */
    public int start(String host, int port) {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // Javalin's start-up lines (its version and age, "listening on") go: the start-up block says what matters
            JavalinLogger.startupInfo = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.requestLogger.http((ctx, ms) -> metrics.record(routeOf(ctx), ctx.statusCode(), ms));
        });
        app.before(this::authenticate);
        app.get("/", ctx -> {
            if (wantsHtml(ctx)) landing(ctx);
            else health(ctx);
        });
        app.get("/ui", this::landing);
        app.get("/ui/projects", this::landing);
        app.get("/health", this::health);
        app.post("/setup", this::setup);
        app.post("/predict", this::predict);
        app.post("/webhook", this::webhook);
        app.get("/projects/{id}/status", this::status);
        app.get("/projects/{id}/result", this::result);
        app.post("/projects/{id}/remove", this::remove);
        app.get("/versions", ctx -> ctx.json(Map.of("versions", new String[] {modelVersion()})));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render() + service.metrics()));
        new ReviewRoutes(service.review().orElse(null), service::status).register(app);
        app.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status).json(Map.of("error", e.getMessage())));
        app.exception(Service.Busy.class, (e, ctx) -> busy(ctx, e.getMessage()));
        app.exception(InvalidRequest.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
        app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .json(Map.of("error", "internal error: " + e.getClass().getSimpleName())));
        app.start(host, port);
        LOG.info(StartupBlock.text(settings, host, app.port()));
        warnAboutOpenSettings();
        return app.port();
    }

    /** What leaves the backend open to anyone who reaches it, or keeps it from Label Studio, said once at start-up. */
    private void warnAboutOpenSettings() {
        if (!StartupBlock.basicAuth(settings)) {
            LOG.warn("SECURITY: basic auth is off (BASIC_AUTH_USER/BASIC_AUTH_PASS unset): anyone who reaches this port can call /setup, /predict, /projects/..., /metrics and see the review pages");
        }
        if (settings.get("label_studio_url").isEmpty()) {
            String hosts = settings.get("label_studio_hosts").trim();
            LOG.warn("SECURITY: LABEL_STUDIO_URL is unset: the hostname each /setup sends decides which host this backend calls with its token ({}); "
                    + "after a restart no project syncs until Label Studio calls /setup again, and removing a project needs it; set LABEL_STUDIO_URL",
                    hosts.isEmpty() ? "any host: EXEMPLAR_LABEL_STUDIO_HOSTS is unset too" : "one of " + hosts);
        }
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

    /** A browser asks for a page; probes and API clients ask for JSON or anything. */
    private static boolean wantsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    /** The projects this backend knows, for a person: {@link LandingPage}. */
    private void landing(Context ctx) {
        ctx.header("Content-Security-Policy", LandingPage.POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        String url = ctx.scheme() + "://" + (ctx.host() == null ? "localhost" : ctx.host());
        ctx.contentType("text/html; charset=utf-8").result(LandingPage.render(service.projects(), url, service.review().isPresent()));
    }

    private void setup(Context ctx) {
        JsonNode body = body(ctx, MAX_SETUP_BYTES);
        checkSetupHost(body.get("hostname"));
        service.setup(body);
        ctx.json(Map.of("model_version", modelVersion()));
    }

    private void webhook(Context ctx) {
        checkWebhookSecret(ctx);
        String type = ctx.contentType();
        if (type != null && !type.isBlank() && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            throw new BadRequest(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "a webhook event is JSON (Content-Type: application/json), got '"
                    + PathIds.clip(type) + "'");
        }
        long id = service.webhook(body(ctx, MAX_WEBHOOK_BYTES));
        ctx.json(Map.of("status", "queued", "event", id));
    }

    /** Takes Exemplar out of a project while the backend runs: the work of `exemplar labelstudio remove`. */
    private void remove(Context ctx) throws Exception {
        long id = PathIds.project(ctx);
        try {
            Service.Removal r = service.remove(id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("project", r.project());
            out.put("backends", r.backends());
            out.put("views", r.views());
            out.put("tasks", r.tasks());
            out.put("predictions", r.predictions());
            ctx.json(out);
        } catch (IllegalStateException e) {
            ctx.status(HttpStatus.CONFLICT).json(Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) { // Label Studio refused or did not answer: what is done stays done, run it again
            ctx.status(HttpStatus.BAD_GATEWAY).json(Map.of("error", "removing project " + id + " stopped: " + e.getMessage()));
        }
    }

    /** Where a project's sync stands. */
    private void status(Context ctx) {
        long id = PathIds.project(ctx);
        Service.Status s = service.status(id)
                .orElseThrow(() -> new NotFoundResponse("project " + id + " is not known: Label Studio has not called /setup for it"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", s.project());
        out.put("phase", s.phase());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("done", s.progress().done());
        progress.put("total", s.progress().total());
        progress.put("per_second", s.progress().perSecond());
        progress.put("eta_seconds", s.progress().etaSeconds());
        out.put("progress", progress);
        out.put("summary_size", s.summarySize());
        Map<String, Object> propagation = new LinkedHashMap<>();
        Service.Spreading p = s.propagation();
        propagation.put("labelled_tasks", p.labelledTasks());
        propagation.put("propagated", p.propagated());
        propagation.put("to_write", p.toWrite());
        propagation.put("accepted", p.accepted());
        propagation.put("rejected", p.rejected());
        propagation.put("note", p.note());
        out.put("propagation", propagation);
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("order", s.queue().order());
        queue.put("front", s.queue().front());
        queue.put("front_open", s.queue().frontOpen());
        queue.put("to_write", s.queue().toWrite());
        out.put("queue", queue);
        out.put("last_error", s.lastError());
        out.put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
        ctx.json(out);
    }

    /** The current result in the design's result format, items named by task id. */
    private void result(Context ctx) {
        long id = PathIds.project(ctx);
        ctx.json(service.result(id).orElseThrow(() -> new NotFoundResponse("project " + id + " has no result yet")));
    }

    /**
     * One item per task, in order: a constituent's propagated label, as written to Label Studio,
     * with its score; for any other task an empty list of predictions, which makes Label Studio
     * store nothing, log nothing and ask again later (an empty result would be stored and block
     * later predictions; an item without "result" is logged as an error each time).
     */
    private void predict(Context ctx) throws InterruptedException {
        if (!predictSlots.tryAcquire(PREDICT_WAIT_MS, TimeUnit.MILLISECONDS)) {
            busy(ctx, "the backend is answering as many predictions as it can; ask again in " + RETRY_AFTER_SECONDS + " s");
            return;
        }
        List<List<Service.Suggestion>> answers;
        try {
            answers = service.predict(body(ctx, MAX_PREDICT_BYTES));
        } finally {
            predictSlots.release();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (List<Service.Suggestion> task : answers) {
            ArrayNode predictions = results.addArray();
            for (Service.Suggestion s : task) {
                ObjectNode item = predictions.addObject();
                item.put("model_version", s.modelVersion());
                item.set("result", s.result());
                item.put("score", s.score());
            }
        }
        ctx.json(out);
    }

    /** 503 with Retry-After: the backend is saturated, not the request wrong. */
    private static void busy(Context ctx, String message) {
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).json(Map.of("error", message));
    }

    /**
     * The body as a JSON object, read within {@code limit} bytes (413 past it) and as strict UTF-8; Jackson's
     * own bounds (nesting depth, number and string lengths) hold while it is parsed.
     */
    private static JsonNode body(Context ctx, int limit) {
        long declared = ctx.contentLength();
        if (declared > limit) throw tooLarge(limit);
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > limit) throw tooLarge(limit);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("the body is not valid UTF-8");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || !node.isObject()) throw new BadRequest("the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON: " + PathIds.clip(String.valueOf(e.getOriginalMessage())));
        }
    }

    private static BadRequest tooLarge(int limit) {
        return new BadRequest(HttpStatus.CONTENT_TOO_LARGE, "the body is larger than this route takes (" + limit + " bytes)");
    }

    /**
     * Without LABEL_STUDIO_URL the backend calls the host /setup names, with /setup's token; when
     * label_studio_hosts lists hosts, a /setup naming any other is refused (400) before anything is kept.
     */
    private void checkSetupHost(JsonNode hostname) {
        String allowed = settings.get("label_studio_hosts").trim();
        if (allowed.isEmpty() || !settings.get("label_studio_url").isEmpty() || hostname == null || !hostname.isTextual()
                || hostname.asText().isEmpty()) {
            return;
        }
        String host;
        try {
            java.net.URI uri = new java.net.URI(hostname.asText().trim());
            host = uri.getHost() == null ? null : (uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?")) host = null;
        } catch (java.net.URISyntaxException e) {
            host = null;
        }
        for (String a : allowed.split(",")) {
            if (host != null && !a.isBlank() && a.trim().equalsIgnoreCase(host)) return;
        }
        throw new BadRequest("setup's \"hostname\" '" + PathIds.clip(hostname.asText())
                + "' is not among the hosts this backend may call (label_studio_hosts)");
    }

    /** When a webhook secret is set, Label Studio's webhook must carry it in {@link #WEBHOOK_SECRET_HEADER}: 401 otherwise. */
    private void checkWebhookSecret(Context ctx) {
        String secret = settings.get("webhook_secret");
        if (secret.isEmpty()) return;
        String given = ctx.header(WEBHOOK_SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedResponse("the webhook must carry the header " + WEBHOOK_SECRET_HEADER + " with the configured secret");
        }
    }

    /**
     * Basic auth as Label Studio sends it to backends configured with it; /health (and / asked for JSON) stays open
     * for probes, and /webhook because Label Studio's webhooks carry no basic auth.
     */
    private void authenticate(Context ctx) {
        String user = settings.get("basic_auth_user"), pass = settings.get("basic_auth_pass");
        if (user.isEmpty() || pass.isEmpty()) return;
        String path = ctx.path();
        // "/" answers probes open; as the landing page, which lists projects, it asks for credentials like every page
        if ((path.equals("/") && !wantsHtml(ctx)) || path.equals("/health") || path.equals("/webhook")) return;
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        String given = ctx.header("Authorization");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Login required\"");
            throw new UnauthorizedResponse("basic authentication required");
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
        final HttpStatus status;

        BadRequest(String message) {
            this(HttpStatus.BAD_REQUEST, message);
        }

        BadRequest(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}
