package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for Label Studio 1.23 (Community edition) for tests: the REST API an ML backend and
 * its tooling use, with behaviour taken from recorded Label Studio traffic. Memory only.
 *
 * <pre>{@code
 * try (var ls = new LabelStudioStandIn()) {
 *     String base = ls.start();
 *     var admin = ls.seed().user("admin@example.com");          // legacy token + PAT helpers
 *     ls.seed().legacyTokensEnabled(true);                         // fresh LS orgs have them off
 *     long project = ls.seed().project(admin, "<View>...</View>");
 *     List<Long> tasks = ls.seed().importTasks(project, List.of(Map.of("image", "/data/upload/1/a.jpg")));
 *     ls.seed().upload("1/a.jpg", bytes);
 *     ... run the backend against base ...
 *     ls.read().task(tasks.get(0));                               // read back state as LS JSON
 * }
 * }</pre>
 *
 * Defaults follow a fresh LS install: legacy tokens disabled for the organisation, access tokens
 * valid 5 minutes (configurable, see {@link #accessTokenLifetime(Duration)}), webhook timeout 1 s,
 * ML timeouts 1 s (health) / 3 s (setup) / backend {@code timeout} (predict).
 */
public final class LabelStudioStandIn implements AutoCloseable {
    final StandInClock clock = new StandInClock();
    final StandInState state = new StandInState(clock);
    final Serializers ser = new Serializers(state);
    final TaskQuery query = new TaskQuery(state, ser);
    final Outbound outbound = new Outbound();
    final Operations ops = new Operations(state, ser, query, outbound);
    final Auth auth = new Auth(state, Duration.ofMinutes(5));
    private final Faults faults = new Faults();
    private final Seed seed = new Seed(this);
    private final ReadBack read = new ReadBack(this);
    private Javalin app;
    private String baseUrl;

    /** Starts on a free loopback port and returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public synchronized String start() {
        return start(0);
    }

    private String start(int port) {
        if (app != null) return baseUrl;
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.router.ignoreTrailingSlashes = true;
        });
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).contentType("application/json").result(e.body().toString()));
        app.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (e, ctx) -> {
            ApiError err = new ApiError(400, "JSON parse error - " + e.getOriginalMessage());
            ctx.status(400).contentType("application/json").result(err.body().toString());
        });
        app.before(faults::before);
        app.after(faults::after);
        // Label Studio 1.23 answers both, without a token
        app.get("/version", ctx -> json(ctx, 200, StandInState.object().put("release", ApiError.VERSION)));
        app.get("/api/version", ctx -> json(ctx, 200, StandInState.object().put("release", ApiError.VERSION)));
        new AuthRoutes(this).register(app);
        new ProjectRoutes(this).register(app);
        new DataManagerRoutes(this).register(app);
        new MlAndWebhookRoutes(this).register(app);
        app.start("127.0.0.1", port);
        baseUrl = "http://127.0.0.1:" + app.port();
        return baseUrl;
    }

    public String baseUrl() { return baseUrl; }

    /** An outage: connections are refused until {@link #resume}; all state is kept. */
    public synchronized void stop() {
        if (app != null) app.stop();
        app = null;
    }

    /** Back after {@link #stop}, on the same port and with the same state. */
    public synchronized void resume() {
        start(Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1)));
    }

    @Override
    public synchronized void close() {
        if (app != null) app.stop();
        app = null;
    }

    /** Faults to inject into the API: error answers, throttling, answers lost after a change (none by default). */
    public Faults faults() { return faults; }

    /** The seeding API: users, tokens, projects, tasks, media, settings. */
    public Seed seed() { return seed; }

    /** Reading state back in the JSON shapes LS answers with. */
    public ReadBack read() { return read; }

    /** The clock the stand-in uses for token expiry, locks and timestamps. */
    public StandInClock clock() { return clock; }

    /** Lifetime of access tokens from {@code /api/token/refresh/}; tests use seconds. */
    public LabelStudioStandIn accessTokenLifetime(Duration d) {
        auth.accessTokenLifetime = d;
        return this;
    }

    /** LS {@code WEBHOOK_TIMEOUT} (default 1 s). */
    public LabelStudioStandIn webhookTimeout(Duration d) {
        outbound.webhookTimeout = d;
        return this;
    }

    /** LS {@code ML_TIMEOUT_HEALTH} and {@code ML_TIMEOUT_SETUP} (default 1 s and 3 s). */
    public LabelStudioStandIn mlTimeouts(Duration health, Duration setup) {
        ops.mlHealthTimeout = health;
        ops.mlSetupTimeout = setup;
        return this;
    }

    /** Every webhook and ML-backend request the stand-in has sent, in order. */
    public List<Outbound.Call> outboundCalls() { return outbound.calls(); }

    // ----- helpers for the route classes -----

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    static JsonNode body(Context ctx) {
        String b = ctx.body();
        if (b == null || b.isBlank()) return StandInState.object();
        try {
            return StandInState.JSON.readTree(b);
        } catch (Exception e) {
            throw new ApiError(400, "JSON parse error - " + e.getMessage());
        }
    }

    static ObjectNode bodyObject(Context ctx) {
        JsonNode b = body(ctx);
        if (!b.isObject()) throw new ApiError(400, "Invalid data. Expected a dictionary, but got list.");
        return (ObjectNode) b;
    }

    static long pathId(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound();
        }
    }

    static Long queryLong(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.notFound();
        }
    }

    StandInState.User user(Context ctx) {
        StandInState.User u = auth.authenticate(ctx);
        synchronized (state) { u.lastActivity = state.now(); }
        return u;
    }

    StandInState.Project project(long id) {
        StandInState.Project p = state.projects.get(id);
        if (p == null) throw ApiError.notFound();
        return p;
    }

    StandInState.Task task(long id) {
        StandInState.Task t = state.tasks.get(id);
        if (t == null) throw ApiError.notFound();
        return t;
    }

    static ArrayNode arrayOf(List<? extends JsonNode> nodes) {
        ArrayNode a = StandInState.array();
        a.addAll(new ArrayList<>(nodes));
        return a;
    }
}
