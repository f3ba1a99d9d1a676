package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replays the exchanges recorded from a real Label Studio 1.23 ({@code ../shared/labelstudio/captured})
 * against the stand-in. The captures are one story (a fresh organisation, admin plus annotators 2-6,
 * one project), so for capture N the stand-in starts fresh, every earlier capture is sent to bring it
 * to the state Label Studio was in, and then N's request is sent and its answer compared: status and
 * body, field by field, ignoring only volatile values (timestamps, tokens, error uuids, durations).
 *
 * <p>The ML backend the captures used (http://127.0.0.1:9090) is played by a small server here
 * that answers like the capture server: health UP, setup {@code capture-1}, and each
 * {@code /predict} with the next recorded {@code /predict} answer.
 *
 * <p>Every capture is replayed; none is skipped. Redacted tokens are replaced by the matching
 * credentials of the stand-in's users (the user each capture was made as is listed in
 * {@link #AS_USER}).
 */
class CapturedReplayTest {
    static final Path DIR = Path.of("../shared/labelstudio/captured");
    static final String CAPTURED_ML = "http://127.0.0.1:9090";
    static final Set<String> VOLATILE = Set.of("created_at", "updated_at", "last_activity", "date_joined", "duration",
            "created_ago", "exc_info", "completed_at", "label_config_hash");
    /** Which annotator made a capture (admin otherwise). */
    static final Map<String, Integer> AS_USER = Map.of("61", 2, "62", 3, "63", 4, "64", 5, "65", 6, "66", 2, "67", 2);

    static Stream<String> captures() throws IOException {
        if (!Files.isDirectory(DIR)) return Stream.of("(captures absent)");
        try (var files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d_.*\\.json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void replay(String name) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(DIR), "captures not available");
        List<Path> story = new ArrayList<>();
        for (String n : captures().toList()) {
            story.add(DIR.resolve(n));
            if (n.equals(name)) break;
        }
        Deque<JsonNode> predictAnswers = new ArrayDeque<>();
        try (var files = Files.list(DIR.resolve("ml_backend"))) {
            for (Path p : files.sorted().toList()) {
                if (p.getFileName().toString().endsWith("_POST_predict.json")) predictAnswers.add(read(p).get("response"));
            }
        }
        Javalin ml = Javalin.create(c -> c.showJavalinBanner = false);
        ml.get("/health", ctx -> ctx.json(Map.of("status", "UP", "model_class", "Capture")));
        ml.post("/setup", ctx -> ctx.json(Map.of("model_version", "capture-1")));
        ml.post("/predict", ctx -> {
            JsonNode next;
            synchronized (predictAnswers) { next = predictAnswers.poll(); }
            ctx.contentType("application/json").result(next == null ? "{}" : next.toString());
        });
        ml.get("/versions", ctx -> ctx.json(Map.of("status", "ok")));
        ml.post("/<rest>", ctx -> ctx.json(Map.of("status", "ok")));
        ml.start("127.0.0.1", 0);
        String mlUrl = "http://127.0.0.1:" + ml.port();
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String base = ls.start();
            List<Seed.SeededUser> users = new ArrayList<>();
            users.add(ls.seed().user("admin@example.com"));
            for (int i = 2; i <= 6; i++) users.add(ls.seed().user("annotator" + i + "@example.com"));
            Replayer r = new Replayer(base, users, mlUrl);
            for (int i = 0; i < story.size(); i++) {
                Path p = story.get(i);
                JsonNode capture = StandInState.JSON.readTree(Files.readString(p).replace(CAPTURED_ML, mlUrl));
                Replayer.Result got = r.send(p.getFileName().toString().substring(0, 2), capture.get("request"));
                if (i == story.size() - 1) {
                    JsonNode expected = capture.get("response");
                    assertThat(got.status()).as("status of " + name + ": " + got.body()).isEqualTo(expected.get("status").asInt());
                    List<String> diffs = new ArrayList<>();
                    compare("", expected.get("body"), got.body(), diffs);
                    if (!diffs.isEmpty()) fail(name + " differs:\n  " + String.join("\n  ", diffs));
                }
            }
        } finally {
            ml.stop();
        }
    }

    /** Sends captured requests with the stand-in's credentials in place of the redacted ones. */
    static final class Replayer {
        record Result(int status, JsonNode body) {}

        final OkHttpClient http = new OkHttpClient();
        final String base;
        final List<Seed.SeededUser> users;
        final String adminSession;
        String pat, access;

        Replayer(String base, List<Seed.SeededUser> users, String mlUrl) {
            this.base = base;
            this.users = users;
            this.adminSession = users.get(0).session();
        }

        Result send(String number, JsonNode req) throws IOException {
            HttpUrl.Builder url = HttpUrl.get(base + req.get("path").asText()).newBuilder();
            if (req.get("query") != null && req.get("query").isObject()) {
                req.get("query").fields().forEachRemaining(e -> url.addQueryParameter(e.getKey(), e.getValue().asText()));
            }
            Request.Builder b = new Request.Builder().url(url.build());
            String auth = req.path("headers").path("Authorization").asText(null);
            if (auth == null) {
                b.header("Cookie", "sessionid=" + adminSession);
            } else if (auth.startsWith("Bearer")) {
                b.header("Authorization", "Bearer " + (number.equals("07") ? access : pat));
            } else {
                String key = number.equals("09") ? pat : users.get(AS_USER.getOrDefault(number, 1) - 1).legacyToken();
                b.header("Authorization", "Token " + key);
            }
            JsonNode body = req.get("body");
            if (body != null && body.isObject() && body.has("refresh")) ((ObjectNode) body).put("refresh", pat);
            String method = req.get("method").asText();
            RequestBody rb = body == null || body.isNull() ? null : RequestBody.create(body.toString(), MediaType.get("application/json"));
            if (rb == null && (method.equals("POST") || method.equals("PATCH") || method.equals("PUT"))) rb = RequestBody.create(new byte[0]);
            b.method(method, rb);
            try (Response resp = http.newCall(b.build()).execute()) {
                String text = resp.body() == null ? "" : resp.body().string();
                JsonNode parsed = text.isEmpty() ? StandInState.JSON.getNodeFactory().textNode("") : StandInState.JSON.readTree(text);
                if (number.equals("05")) pat = parsed.path("token").asText();
                if (number.equals("06")) access = parsed.path("access").asText();
                return new Result(resp.code(), parsed);
            }
        }
    }

    static void compare(String path, JsonNode want, JsonNode got, List<String> diffs) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (VOLATILE.contains(key)) return;
        // Column titles and help texts are translated (the captured server ran a Chinese locale).
        if (path.matches("\\.columns\\[\\d+]\\.(title|help)")) return;
        if (want != null && want.isArray() && path.endsWith(".schema.items") && got != null && got.isArray()) {
            Set<String> a = new TreeSet<>(), b = new TreeSet<>();
            want.forEach(x -> a.add(x.toString()));
            got.forEach(x -> b.add(x.toString()));
            if (!a.equals(b)) diffs.add(path + ": " + want + " vs " + got);
            return; // a DISTINCT without ORDER BY: the order is the database's
        }
        if (want != null && want.isTextual() && want.asText().equals("<TOKEN>")) {
            if (got == null || !got.isTextual() || got.asText().isEmpty()) diffs.add(path + ": expected a token, got " + got);
            return;
        }
        if (key.equals("id") && want != null && want.isTextual()) return; // error uuid
        if (key.equals("unique_lock_id")) {
            if (want.isNull() != (got == null || got.isNull())) diffs.add(path + ": lock id " + want + " vs " + got);
            return;
        }
        if (want != null && want.isTextual() && want.asText().matches("\\d+\\.\\d{9,}") && got != null && got.isTextual()) {
            if (!got.asText().startsWith(want.asText().split("\\.")[0] + ".")) diffs.add(path + ": " + want + " vs " + got);
            return; // "<project id>.<created_at seconds>"
        }
        if (got == null || got.isMissingNode()) {
            diffs.add(path + ": missing (expected " + abbreviate(want) + ")");
            return;
        }
        if (want.isObject()) {
            if (!got.isObject()) { diffs.add(path + ": expected object, got " + abbreviate(got)); return; }
            Set<String> extra = new TreeSet<>();
            got.fieldNames().forEachRemaining(extra::add);
            for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                extra.remove(k);
                compare(path + "." + k, want.get(k), got.get(k), diffs);
            }
            if (!extra.isEmpty()) diffs.add(path + ": unexpected fields " + extra);
        } else if (want.isArray()) {
            if (!got.isArray() || got.size() != want.size()) { diffs.add(path + ": expected " + abbreviate(want) + ", got " + abbreviate(got)); return; }
            for (int i = 0; i < want.size(); i++) compare(path + "[" + i + "]", want.get(i), got.get(i), diffs);
        } else if (want.isNumber() && got.isNumber()) {
            if (want.asDouble() != got.asDouble()) diffs.add(path + ": " + want + " vs " + got);
        } else if (!want.equals(got)) {
            diffs.add(path + ": " + abbreviate(want) + " vs " + abbreviate(got));
        }
    }

    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    static JsonNode read(Path p) throws IOException {
        return StandInState.JSON.readTree(Files.readString(p));
    }
}
