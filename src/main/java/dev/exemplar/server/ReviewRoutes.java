package dev.exemplar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.exemplar.backend.Review;
import dev.exemplar.backend.Service;
import dev.exemplar.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The review page of propagated labels and its JSON API, under /ui. Everything goes through
 * {@link Review}; without one every /ui route answers 404.
 *
 * <p>Accepting creates an annotation under the reviewer's own Label Studio account, so the reviewer's
 * token comes with each accept request in {@value #TOKEN_HEADER} and goes straight to
 * {@link Review#accept}: it is never logged, kept or sent back, and is masked in any error message.
 */
public final class ReviewRoutes {
    public static final String TOKEN_HEADER = "X-Label-Studio-Token";
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 20;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);
    private static final String RESOURCES = "/dev/exemplar/server/review/";
    /** The page holds a token: nothing from elsewhere may run in it, and it may not be framed. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Review review;
    /** Where each project's sync stands, so an empty review can say why it is empty. */
    private final Function<Long, Optional<Service.Status>> statuses;
    private final String html = resource("review.html");
    private final String script = resource("review.js");
    private final String style = resource("review.css");

    /** {@code review} null: the /ui routes exist but answer 404 (the style sheet, which the landing page uses too, excepted). */
    ReviewRoutes(Review review, Function<Long, Optional<Service.Status>> statuses) {
        this.review = review;
        this.statuses = statuses;
    }

    void register(Javalin app) {
        app.get("/ui/projects/{id}/review", this::page);
        app.get("/ui/assets/review.js", ctx -> asset(ctx, "text/javascript; charset=utf-8", script));
        app.get("/ui/assets/review.css", ctx -> {
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/css; charset=utf-8").result(style);
        });
        app.get("/ui/api/projects/{id}/review", this::proposals);
        app.get("/ui/projects/{id}/thumbs/{task}.jpg", this::thumbnail);
        app.post("/ui/api/projects/{id}/tasks/{task}/accept", this::accept);
        app.post("/ui/api/projects/{id}/tasks/{task}/reject", this::reject);
        app.exception(Review.ReviewException.class, (e, ctx) -> ctx.status(statusOf(e)).json(Map.of("error", e.getMessage())));
    }

    private Review review() {
        if (review == null) throw new NotFoundResponse("the review page is not available: this backend has no label propagation");
        return review;
    }

    private void page(Context ctx) {
        review();
        long project = PathIds.project(ctx);
        // relative links in the page resolve from ".../review", not ".../review/"
        if (ctx.path().endsWith("/")) {
            ctx.redirect("../review", HttpStatus.MOVED_PERMANENTLY);
            return;
        }
        secure(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(html.replace("{{project}}", String.valueOf(project)));
    }

    private void asset(Context ctx, String type, String text) {
        review();
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(type).result(text);
    }

    /** One page of groups, least certain first, with the counters and every label for the filter. */
    private void proposals(Context ctx) {
        Review r = review();
        long project = PathIds.project(ctx);
        Review.Query query = query(ctx);
        Review.Page page = r.page(project, query).orElseThrow(() -> new Review.ReviewException(404, "project " + project
                + " is not known: connect Exemplar as the ML backend of project " + project
                + " in Label Studio (Settings \u2192 Model) or check the project id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", project);
        out.put("offset", query.offset());
        out.put("limit", query.limit());
        out.put("total", page.total());
        out.put("counters", page.counters());
        out.put("labels", page.labels());
        out.put("groups", page.groups());
        statuses.apply(project).ifPresent(s -> out.put("sync", sync(s)));
        json(ctx, out);
    }

    /** Where the project's sync stands and what to do next, for the page to say when it has nothing to show. */
    private static Map<String, Object> sync(Service.Status s) {
        ProjectState state = ProjectState.of(s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state.key());
        out.put("state_words", state.words);
        out.put("phase", s.phase());
        out.put("phase_words", ProjectState.phaseWords(s.phase()));
        out.put("done", s.progress().done());
        out.put("total", s.progress().total());
        out.put("last_error", s.lastError());
        out.put("next_step", state.nextStep(s));
        out.put("note", s.propagation().note());
        return out;
    }

    /** Reads and checks the filter; every mistake gets a message that says which parameter and why. */
    static Review.Query query(Context ctx) {
        String label = ctx.queryParam("label");
        if (label != null && label.isBlank()) label = null;
        if (label != null && label.length() > 500) throw new BackendServer.BadRequest("label is longer than 500 characters");
        double min = fraction(ctx, "min", 0), max = fraction(ctx, "max", 1);
        if (min > max) throw new BackendServer.BadRequest("min (" + min + ") is greater than max (" + max + ")");
        int offset = count(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = count(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        return new Review.Query(label, min, max, offset, limit);
    }

    private static double fraction(Context ctx, String name, double otherwise) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) return otherwise;
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0 && v <= 1)) {
            throw new BackendServer.BadRequest(name + " must be a confidence between 0 and 1, got '" + PathIds.clip(text) + "'");
        }
        return v;
    }

    private static int count(Context ctx, String name, int otherwise, int least, int most) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) return otherwise;
        String t = text.trim();
        if (!t.matches("\\d{1,10}") || Long.parseLong(t) < least || Long.parseLong(t) > most) {
            throw new BackendServer.BadRequest(name + " must be a whole number from " + least + " to " + most + ", got '" + PathIds.clip(text) + "'");
        }
        return Integer.parseInt(t);
    }

    private void thumbnail(Context ctx) {
        Review r = review();
        long project = PathIds.project(ctx), task = PathIds.task(ctx);
        Optional<byte[]> jpeg = r.thumbnail(project, task);
        if (jpeg.isEmpty()) throw new NotFoundResponse("no thumbnail of task " + task + " in project " + project);
        // private: the page may sit behind basic auth; a task's image rarely changes
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("image/jpeg").result(jpeg.get());
    }

    private void accept(Context ctx) {
        Review r = review();
        long project = PathIds.project(ctx), task = PathIds.task(ctx);
        sameOrigin(ctx);
        String token = ctx.header(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", "accepting creates the annotation under your own Label Studio "
                    + "account: sign in with your Label Studio personal access token (sent in the " + TOKEN_HEADER + " header)"));
            return;
        }
        act(ctx, project, task, Action.ACCEPT, token.trim(), () -> r.accept(project, task, token.trim()));
    }

    private void reject(Context ctx) {
        Review r = review();
        long project = PathIds.project(ctx), task = PathIds.task(ctx);
        sameOrigin(ctx);
        act(ctx, project, task, Action.REJECT, null, () -> r.reject(project, task));
    }

    /** What a reviewer does to a proposal: its word in messages and the state the task is in after it. */
    private enum Action {
        ACCEPT("accept", "accepted"), REJECT("reject", "rejected");

        final String verb, state;

        Action(String verb, String state) {
            this.verb = verb;
            this.state = state;
        }
    }

    /**
     * Runs an action and answers the task's new state and the counters after it. Messages from
     * below are masked for the token in case an implementation quoted a request in one.
     */
    private void act(Context ctx, long project, long task, Action what, String token, Runnable action) {
        String verb = what.verb;
        try {
            action.run();
        } catch (Review.ReviewException e) {
            throw new Review.ReviewException(statusOf(e), mask(e.getMessage(), token));
        } catch (RuntimeException e) {
            LOG.warn("review: {} of task {} in project {} failed: {}: {}", verb, task, project,
                    e.getClass().getSimpleName(), mask(e.getMessage(), token));
            throw new Review.ReviewException(500, verb + " failed: internal error (" + e.getClass().getSimpleName() + "), see the server log");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task);
        out.put("state", what.state);
        out.put("counters", counters(project));
        json(ctx, out);
    }

    /** The counters after an action, so the page need not reload; null if they cannot be had now (the action did happen). */
    private Review.Counters counters(long project) {
        try {
            return review.page(project, new Review.Query(null, 0, 1, 0, 1)).map(Review.Page::counters).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("review: counters of project {} after an action: {}", project, e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * Actions change Label Studio: a form on another site must not trigger them with the browser's
     * basic-auth credentials. Browsers send Origin on every cross-site POST.
     */
    private static void sameOrigin(Context ctx) {
        String origin = ctx.header("Origin"), host = ctx.header("Host");
        if (origin == null) return;
        String originHost;
        try {
            URI u = URI.create(origin);
            originHost = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        if (originHost == null || host == null || !originHost.equalsIgnoreCase(host)) {
            throw new ForbiddenResponse("cross-site request refused: origin " + PathIds.clip(origin) + " is not this server");
        }
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int statusOf(Review.ReviewException e) {
        return e.status() >= 400 && e.status() <= 599 ? e.status() : 500;
    }

    static String mask(String message, String token) {
        if (message == null) return "";
        return token == null || token.isEmpty() ? message : message.replace(token, "[token]");
    }

    private static String resource(String name) {
        try (InputStream in = ReviewRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCES + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
