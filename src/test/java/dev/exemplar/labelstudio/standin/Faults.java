package dev.exemplar.labelstudio.standin;

import io.javalin.http.Context;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Faults injected into the stand-in's API, for tests of a client that must outlast a misbehaving
 * Label Studio: a request matching a rule is answered with an error status (and headers, e.g.
 * {@code Retry-After}) before it reaches any route, so nothing changes; or it is run and then its
 * connection is dropped before the answer, or its answer replaced by an error status (as a proxy or a
 * failure after the commit gives), so the change is made and the answer lost. Each rule
 * applies to its next {@code times} matching requests. Without rules the stand-in behaves as before.
 */
public final class Faults {
    private final List<Rule> rules = new ArrayList<>();
    private int injected;

    private static final class Rule {
        final String method;
        final Pattern path;
        final int status;
        final boolean afterRunning;
        final Map<String, String> headers;
        int left;

        Rule(String method, String pathRegex, int status, boolean afterRunning, Map<String, String> headers, int times) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.status = status;
            this.afterRunning = afterRunning;
            this.headers = Map.copyOf(headers);
            this.left = times;
        }

        boolean matches(Context ctx) {
            return left > 0 && method.equalsIgnoreCase(ctx.method().name()) && path.matcher(ctx.path()).matches();
        }
    }

    /** Status for a rule that cuts the connection after the route ran. */
    private static final int CUT = -1;

    /**
     * The next {@code times} requests with this method and a path matching {@code pathRegex} are
     * answered {@code status} with these headers and a Label Studio-style error body; they change nothing.
     */
    public synchronized Faults answer(String method, String pathRegex, int status, Map<String, String> headers, int times) {
        rules.add(new Rule(method, pathRegex, status, false, headers, times));
        return this;
    }

    /** As {@link #answer} without headers. */
    public Faults answer(String method, String pathRegex, int status, int times) {
        return answer(method, pathRegex, status, Map.of(), times);
    }

    /** The next {@code times} matching requests are run, then their connection is dropped before the answer. */
    public synchronized Faults cutAfterRunning(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, CUT, true, Map.of(), times));
        return this;
    }

    /** The next {@code times} matching requests are run, then answered {@code status}: the change is made, the answer says it failed. */
    public synchronized Faults answerAfterRunning(String method, String pathRegex, int status, int times) {
        rules.add(new Rule(method, pathRegex, status, true, Map.of(), times));
        return this;
    }

    /** How many requests a rule has answered or cut so far. */
    public synchronized int injected() { return injected; }

    /** The rules not used up yet, e.g. {@code "PATCH /api/tasks/\\d+ 502 x1"}; empty once every fault was met. */
    public synchronized List<String> unmet() {
        return rules.stream().filter(r -> r.left > 0)
                .map(r -> r.method + " " + r.path + " " + (r.status == CUT ? "cut" : r.status) + " x" + r.left).toList();
    }

    public synchronized void clear() { rules.clear(); }

    void before(Context ctx) {
        Rule hit;
        synchronized (this) {
            hit = rules.stream().filter(r -> !r.afterRunning && r.matches(ctx)).findFirst().orElse(null);
            if (hit == null) return;
            hit.left--;
            injected++;
        }
        hit.headers.forEach(ctx::header);
        // thrown before any route: the request changes nothing
        throw new ApiError(hit.status, hit.status == 429 ? "Request was throttled." : "Server Error (" + hit.status + ")");
    }

    void after(Context ctx) {
        if (ctx.statusCode() >= 300) return;
        Rule hit;
        synchronized (this) {
            hit = rules.stream().filter(r -> r.afterRunning && r.matches(ctx)).findFirst().orElse(null);
            if (hit == null) return;
            hit.left--;
            injected++;
        }
        if (hit.status != CUT) {
            ApiError e = new ApiError(hit.status, "Server Error (" + hit.status + ")");
            ctx.status(e.status).contentType("application/json").result(e.body().toString());
            return;
        }
        // the route ran and its change is made; the connection goes before any of the answer is sent
        Request.getBaseRequest(ctx.req()).getHttpChannel().abort(new IOException("fault injected: connection dropped"));
    }
}
