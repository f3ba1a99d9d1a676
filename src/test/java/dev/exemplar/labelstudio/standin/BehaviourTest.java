package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour of the stand-in that a backend relies on, each checked against PROTOCOL.md and the captures. */
class BehaviourTest {
    static final String CONFIG = "<View><Image name=\"image\" value=\"$image\"/>"
            + "<Choices name=\"choice\" toName=\"image\"><Choice value=\"A\"/><Choice value=\"B\"/></Choices></View>";
    static final MediaType JSON = MediaType.get("application/json");

    LabelStudioStandIn ls;
    String base;
    Seed.SeededUser admin;
    long project;
    List<Long> tasks;
    final OkHttpClient http = new OkHttpClient();

    @BeforeEach
    void setUp() {
        ls = new LabelStudioStandIn();
        base = ls.start();
        admin = ls.seed().user("admin@example.com");
        ls.seed().legacyTokensEnabled(true);
        project = ls.seed().project(admin, CONFIG);
        tasks = ls.seed().importTasks(project, List.of(
                Map.of("image", "/data/upload/1/a.jpg", "role", "delegate", "rank", "003"),
                Map.of("image", "/data/upload/1/b.jpg", "role", "constituent", "rank", "001"),
                Map.of("image", "/data/upload/1/c.jpg", "role", "delegate", "rank", "001"),
                Map.of("image", "/data/upload/1/d.jpg", "role", "delegate", "rank", "002"),
                Map.of("image", "/data/upload/1/e.jpg", "role", "constituent", "rank", "000")));
    }

    @AfterEach
    void tearDown() {
        ls.close();
    }

    record Answer(int status, JsonNode body) {}

    Answer call(String method, String path, String auth, Object body) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path);
        if (auth != null) b.header("Authorization", auth);
        RequestBody rb = body == null ? null : RequestBody.create(StandInState.JSON.writeValueAsString(body), JSON);
        if (rb == null && !method.equals("GET") && !method.equals("DELETE")) rb = RequestBody.create("", JSON);
        b.method(method, rb);
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body() == null ? "" : r.body().string();
            return new Answer(r.code(), text.isEmpty() ? StandInState.JSON.missingNode() : StandInState.JSON.readTree(text));
        }
    }

    String token() { return "Token " + admin.legacyToken(); }

    @Test
    void tasksListPaginatesAndAnswers404PastTheEnd() throws IOException {
        Answer p1 = call("GET", "/api/tasks?project=" + project + "&page=1&page_size=2", token(), null);
        assertThat(p1.status()).isEqualTo(200);
        assertThat(p1.body().get("total").asInt()).isEqualTo(5);
        assertThat(p1.body().get("tasks")).hasSize(2);
        Answer p3 = call("GET", "/api/tasks?project=" + project + "&page=3&page_size=2", token(), null);
        assertThat(p3.body().get("tasks")).hasSize(1);
        Answer p4 = call("GET", "/api/tasks?project=" + project + "&page=4&page_size=2", token(), null);
        assertThat(p4.status()).isEqualTo(404);
        assertThat(p4.body().get("detail").asText()).isEqualTo("Invalid page.");
    }

    @Test
    void patchReplacesDataWholeAndRefusesDataWithoutTheConfigKey() throws IOException {
        long id = tasks.get(0);
        Answer ok = call("PATCH", "/api/tasks/" + id, token(), Map.of("data", Map.of("image", "/data/upload/1/a.jpg", "exemplar_rank", "000001")));
        assertThat(ok.status()).isEqualTo(200);
        JsonNode data = call("GET", "/api/tasks/" + id, token(), null).body().get("data");
        assertThat(data.has("role")).as("replaced, not merged").isFalse();
        assertThat(data.get("exemplar_rank").asText()).isEqualTo("000001");
        Answer bad = call("PATCH", "/api/tasks/" + id, token(), Map.of("data", Map.of("exemplar_rank", "2")));
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void viewFiltersAndOrdersByTextIncludingFieldsAddedByPatch() throws IOException {
        // exemplar_rank was never imported: LS still filters/orders on the stored JSON.
        String[] ranks = {"10", "9", "2", "01", "x"};
        for (int i = 0; i < tasks.size(); i++) {
            Map<String, Object> d = new java.util.HashMap<>(ls.read().task(tasks.get(i)).get("data").properties().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue().asText())));
            d.put("exemplar_rank", ranks[i]);
            assertThat(call("PATCH", "/api/tasks/" + tasks.get(i), token(), Map.of("data", d)).status()).isEqualTo(200);
        }
        Map<String, Object> view = Map.of("project", project, "data", Map.of("title", "queue",
                "filters", Map.of("conjunction", "and", "items", List.of(Map.of("filter", "filter:tasks:data.role",
                        "operator", "equal", "type", "String", "value", "delegate"))),
                "ordering", List.of("tasks:data.exemplar_rank")));
        long viewId = call("POST", "/api/dm/views", token(), view).body().get("id").asLong();
        JsonNode list = call("GET", "/api/tasks?view=" + viewId, token(), null).body();
        List<Long> ids = new java.util.ArrayList<>();
        list.get("tasks").forEach(t -> ids.add(t.get("id").asLong()));
        // delegates are tasks 1 ("10"), 3 ("2"), 4 ("01"); text order: "01" < "10" < "2"
        assertThat(ids).containsExactly(tasks.get(3), tasks.get(0), tasks.get(2));
        JsonNode cols = call("GET", "/api/dm/columns?project=" + project, token(), null).body().get("columns");
        List<String> colIds = new java.util.ArrayList<>();
        cols.forEach(c -> colIds.add(c.get("id").asText()));
        assertThat(colIds).as("columns are learnt at import only").doesNotContain("exemplar_rank");
    }

    @Test
    void aModelVersionWithNeitherABackendNorPredictionsIsRefused() throws IOException {
        Answer refused = call("PATCH", "/api/projects/" + project, token(), Map.of("model_version", "exemplar-0.1.0"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("validation_errors").path("model_version").get(0).asText())
                .isEqualTo("Model version doesn't exist either as live model or as static predictions.");

        ls.seed().prediction(tasks.get(0), "exemplar-0.1.0", 0.5, StandInState.array());
        assertThat(call("PATCH", "/api/projects/" + project, token(), Map.of("model_version", "exemplar-0.1.0")).status()).isEqualTo(200);
        assertThat(call("PATCH", "/api/projects/" + project, token(), Map.of("model_version", "")).status()).as("clearing it").isEqualTo(200);
    }

    @Test
    void aModelVersionFilterGivenAsAStringMatchesByCharacter() throws IOException {
        ls.seed().prediction(tasks.get(0), "exemplar-0.1.0", 0.5, StandInState.array());
        ls.seed().prediction(tasks.get(1), "someone-else", 0.5, StandInState.array());
        java.util.function.Function<Object, List<Long>> listed = value -> {
            try {
                Map<String, Object> filters = Map.of("conjunction", "and", "items", List.of(Map.of(
                        "filter", "filter:tasks:predictions_model_versions", "operator", "contains", "type", "List", "value", value)));
                long view = call("POST", "/api/dm/views", token(), Map.of("project", project, "data", Map.of("title", "t", "filters", filters)))
                        .body().get("id").asLong();
                List<Long> ids = new java.util.ArrayList<>();
                call("GET", "/api/tasks?view=" + view, token(), null).body().get("tasks").forEach(t -> ids.add(t.get("id").asLong()));
                return ids;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(listed.apply("exemplar-0.1.0")).as("'e' is in both").containsExactly(tasks.get(0), tasks.get(1));
        assertThat(listed.apply(List.of("exemplar-0.1.0"))).containsExactly(tasks.get(0));
    }

    @Test
    void nextTaskAsDisplayedFollowsTheViewAndNeverServesFilteredOutTasks() throws IOException {
        Map<String, Object> filters = Map.of("conjunction", "and", "items", List.of(Map.of("filter", "filter:tasks:data.role",
                "operator", "equal", "type", "String", "value", "delegate")));
        List<String> ordering = List.of("tasks:data.rank");
        List<Long> served = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Answer a = call("POST", "/api/dm/actions?id=next_task&project=" + project, token(), Map.of("filters", filters, "ordering", ordering));
            if (a.status() == 404) break;
            assertThat(a.body().get("queue").asText()).isEqualTo("Data manager queue");
            long id = a.body().get("id").asLong();
            served.add(id);
            call("POST", "/api/tasks/" + id + "/annotations/", token(), Map.of("result", List.of()));
        }
        assertThat(served).containsExactly(tasks.get(2), tasks.get(3), tasks.get(0));
    }

    @Test
    void dmQueueIgnoresLocksButSamplingRespectsThem() throws IOException {
        Seed.SeededUser other = ls.seed().user("annotator@example.com");
        Answer first = call("GET", "/api/projects/" + project + "/next", "Token " + other.legacyToken(), null);
        assertThat(first.body().get("id").asLong()).isEqualTo(tasks.get(0));
        assertThat(first.body().get("queue").asText()).isEqualTo("Sequence queue");
        Answer sampled = call("POST", "/api/dm/actions?id=next_task&project=" + project, token(), Map.of());
        assertThat(sampled.body().get("id").asLong()).as("task 1 is locked").isEqualTo(tasks.get(1));
        Answer dm = call("POST", "/api/dm/actions?id=next_task&project=" + project, token(), Map.of("ordering", List.of("tasks:id")));
        assertThat(dm.body().get("id").asLong()).isEqualTo(tasks.get(0));
        assertThat(dm.body().get("unique_lock_id").isNull()).isTrue();
    }

    @Test
    void patRefreshGivesShortLivedAccessTokens() throws IOException {
        ls.accessTokenLifetime(Duration.ofSeconds(30));
        String pat = admin.personalAccessToken();
        assertThat(call("GET", "/api/current-user/whoami", "Bearer " + pat, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/current-user/whoami", "Token " + pat, null).body().get("detail").asText()).isEqualTo("Invalid token.");
        Answer refreshed = call("POST", "/api/token/refresh/", null, Map.of("refresh", pat));
        assertThat(refreshed.status()).isEqualTo(200);
        String access = refreshed.body().get("access").asText();
        assertThat(call("GET", "/api/current-user/whoami", "Bearer " + access, null).status()).isEqualTo(200);
        ls.clock().advance(Duration.ofSeconds(31));
        Answer expired = call("GET", "/api/current-user/whoami", "Bearer " + access, null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(call("POST", "/api/token/refresh/", null, Map.of("refresh", pat)).status()).isEqualTo(200);
        ls.seed().legacyTokensEnabled(false);
        assertThat(call("GET", "/api/current-user/whoami", token(), null).body().get("detail").asText())
                .startsWith("Authentication token no longer valid");
    }

    @Test
    void webhookIsSentOnceAndGivenUpAfterOneSecond() throws Exception {
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        io.javalin.Javalin slow = io.javalin.Javalin.create(c -> c.showJavalinBanner = false)
                .post("/hook", ctx -> { hits.incrementAndGet(); Thread.sleep(1500); ctx.result("ok"); })
                .start("127.0.0.1", 0);
        try {
            ls.seed().webhook(project, "http://127.0.0.1:" + slow.port() + "/hook");
            long t0 = System.nanoTime();
            Answer a = call("POST", "/api/tasks/" + tasks.get(0) + "/annotations/", token(), Map.of("result", List.of()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(a.status()).isEqualTo(201);
            assertThat(ms).isBetween(900L, 1450L);
            Thread.sleep(700);
            assertThat(hits.get()).isEqualTo(1);
            var call = ls.outboundCalls().get(0);
            assertThat(call.json().get("action").asText()).isEqualTo("ANNOTATION_CREATED");
            assertThat(call.json().has("task")).isTrue();
            assertThat(call.error()).isNotNull();
        } finally {
            slow.stop();
        }
    }

    @Test
    void uploadsAreServedWithAuth() throws IOException {
        String path = ls.seed().upload("1/a.jpg", new byte[]{1, 2, 3});
        assertThat(call("GET", path, null, null).status()).isEqualTo(401);
        try (Response r = http.newCall(new Request.Builder().url(base + path).header("Authorization", token()).build()).execute()) {
            assertThat(r.body().bytes()).containsExactly(1, 2, 3);
        }
    }
}
