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
}
