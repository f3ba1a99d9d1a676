package dev.exemplar.labelstudio;

import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.exemplar.labelstudio.Captures.json;
import static dev.exemplar.labelstudio.Captures.jwt;
import static dev.exemplar.labelstudio.Captures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthClientTest {
    private MockWebServer server;
    private final Instant t0 = Instant.parse("2026-11-22T20:50:00Z");

    @BeforeEach void start() throws Exception { server = new MockWebServer(); server.start(); }

    @AfterEach void stop() throws Exception { server.shutdown(); }

    private LabelStudioClient.Builder client(String key) {
        return LabelStudioClient.builder(server.url("/").toString(), key).backoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
        assertThat(r).as("request").isNotNull();
        return r;
    }

    private static String refreshAnswer(String access) {
        return "{\"access\":\"" + access + "\"}";
    }

    @Test void legacyTokenIsSentAsTokenScheme() throws Exception {
        server.enqueue(response("35_project_get.json"));
        LabelStudioClient c = client("2b5c0f2d9c0a4b1e8f7a6d5c4b3a2910").build();
        assertThat(c.usesPersonalAccessToken()).isFalse();

        Project p = c.project(1);

        assertThat(p.modelVersion()).isEqualTo("Capture backend");
        RecordedRequest r = take();
        assertThat(r.getPath()).isEqualTo("/api/projects/1");
        assertThat(r.getHeader("Authorization")).isEqualTo("Token 2b5c0f2d9c0a4b1e8f7a6d5c4b3a2910");
    }

    @Test void legacyTokenRejectedIsNotRetriedAndCarriesLabelStudiosMessage() throws Exception {
        server.enqueue(response("09_auth_token_header_with_pat_rejected.json"));
        LabelStudioClient c = client("legacy-key").build();

        LabelStudioException e = catchThrowableOfType(() -> c.project(1), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/api/projects/1");
        assertThat(e.detail()).isEqualTo("Invalid token.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test void personalAccessTokenIsExchangedAndRefreshedBeforeItsExpiry() throws Exception {
        Captures.MutableClock clock = new Captures.MutableClock(t0);
        String pat = jwt("refresh", t0.plus(Duration.ofDays(30)).getEpochSecond(), "pat");
        String access1 = jwt("access", t0.plusSeconds(100).getEpochSecond(), "a1");
        String access2 = jwt("access", t0.plusSeconds(400).getEpochSecond(), "a2");
        server.enqueue(json(200, refreshAnswer(access1)));
        server.enqueue(response("35_project_get.json"));
        server.enqueue(response("35_project_get.json"));
        server.enqueue(json(200, refreshAnswer(access2)));
        server.enqueue(response("35_project_get.json"));
        LabelStudioClient c = client(pat).clock(clock).refreshMargin(Duration.ofSeconds(30)).build();
        assertThat(c.usesPersonalAccessToken()).isTrue();

        c.project(1);
        clock.now = t0.plusSeconds(60); // 40 s left: still outside the margin
        c.project(1);
        clock.now = t0.plusSeconds(75); // 25 s left: inside the margin, so refresh first
        c.project(1);

        RecordedRequest refresh1 = take();
        assertThat(refresh1.getMethod()).isEqualTo("POST");
        assertThat(refresh1.getPath()).isEqualTo("/api/token/refresh/");
        assertThat(refresh1.getHeader("Authorization")).isNull();
        assertThat(Captures.JSON.readTree(refresh1.getBody().readUtf8()).path("refresh").asText()).isEqualTo(pat);
        assertThat(take().getHeader("Authorization")).isEqualTo("Bearer " + access1);
        assertThat(take().getHeader("Authorization")).isEqualTo("Bearer " + access1);
        assertThat(take().getPath()).isEqualTo("/api/token/refresh/");
        assertThat(take().getHeader("Authorization")).isEqualTo("Bearer " + access2);
        assertThat(server.getRequestCount()).isEqualTo(5);
    }

    @Test void accessTokenExpiringInAFewSecondsIsRefreshedOnTheRealClock() throws Exception {
        long now = Instant.now().getEpochSecond();
        String pat = jwt("refresh", now + 86_400, "pat");
        server.enqueue(json(200, refreshAnswer(jwt("access", now + 3, "short"))));
        server.enqueue(response("35_project_get.json"));
        server.enqueue(json(200, refreshAnswer(jwt("access", now + 300, "long"))));
        server.enqueue(response("35_project_get.json"));
        LabelStudioClient c = client(pat).refreshMargin(Duration.ofSeconds(10)).build();

        c.project(1);
        c.project(1);

        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 4; i++) paths.add(take().getPath());
        assertThat(paths).containsExactly("/api/token/refresh/", "/api/projects/1", "/api/token/refresh/", "/api/projects/1");
    }

    @Test void a401RefreshesExactlyOnceAndRepeatsTheRequestOnce() throws Exception {
        long far = t0.plus(Duration.ofDays(1)).getEpochSecond();
        String pat = jwt("refresh", far, "pat");
        String revoked = jwt("access", far, "revoked");
        String fresh = jwt("access", far, "fresh");
        server.enqueue(json(200, refreshAnswer(revoked)));
        server.enqueue(response("08_auth_bearer_refresh_token_rejected.json"));
        server.enqueue(json(200, refreshAnswer(fresh)));
        server.enqueue(response("34_prediction_create.json"));
        LabelStudioClient c = client(pat).clock(new Captures.MutableClock(t0)).build();

        Prediction p = c.createPrediction(4, Captures.JSON.createArrayNode(), 0.42, "manual-1");

        assertThat(p.id()).isEqualTo(4L);
        assertThat(take().getPath()).isEqualTo("/api/token/refresh/");
        assertThat(take().getHeader("Authorization")).isEqualTo("Bearer " + revoked);
        assertThat(take().getPath()).isEqualTo("/api/token/refresh/");
        RecordedRequest retried = take();
        assertThat(retried.getPath()).isEqualTo("/api/predictions/");
        assertThat(retried.getHeader("Authorization")).isEqualTo("Bearer " + fresh);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test void aSecond401AfterTheRefreshIsReportedWithoutAnotherRefresh() throws Exception {
        long far = t0.plus(Duration.ofDays(1)).getEpochSecond();
        String pat = jwt("refresh", far, "pat");
        server.enqueue(json(200, refreshAnswer(jwt("access", far, "a1"))));
        server.enqueue(response("08_auth_bearer_refresh_token_rejected.json"));
        server.enqueue(json(200, refreshAnswer(jwt("access", far, "a2"))));
        server.enqueue(response("08_auth_bearer_refresh_token_rejected.json"));
        LabelStudioClient c = client(pat).clock(new Captures.MutableClock(t0)).build();

        LabelStudioException e = catchThrowableOfType(() -> c.task(1), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).isEqualTo("Authentication credentials were not provided.");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test void anExpiredPersonalAccessTokenIsRefusedUpFront() {
        String pat = jwt("refresh", t0.minusSeconds(1).getEpochSecond(), "old");
        assertThatThrownBy(() -> client(pat).clock(new Captures.MutableClock(t0)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired")
                .hasMessageNotContaining(pat);
    }

    @Test void somethingThatOnlyLooksDottedIsALegacyToken() {
        assertThat(client("not.a.jwt").build().usesPersonalAccessToken()).isFalse();
    }

    @Test void theTokenIsNeverInLogsOrExceptionsOfFailingCalls() throws Exception {
        String key = "legacy-secret-0123456789abcdef";
        long far = Instant.now().getEpochSecond() + 86_400;
        String pat = jwt("refresh", far, "pat-secret");
        String access = jwt("access", far, "access-secret");
        List<String> lines = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // Label Studio echoing the key back must not leak it either
            server.enqueue(json(400, "{\"detail\":\"bad request for " + key + "\",\"exc_info\":\"Traceback\"}"));
            for (int i = 0; i < 3; i++) server.enqueue(json(503, "{\"detail\":\"busy\"}"));
            LabelStudioClient legacy = client(key).maxRetries(2).log(lines::add).build();
            errors.add(catchThrowableOfType(() -> legacy.project(1), LabelStudioException.class));
            errors.add(catchThrowableOfType(() -> legacy.task(1), LabelStudioException.class));

            server.enqueue(json(200, refreshAnswer(access)));
            server.enqueue(json(500, "{\"detail\":\"token " + access + " broke something\"}"));
            LabelStudioClient jwtClient = client(pat).maxRetries(0).log(lines::add).build();
            errors.add(catchThrowableOfType(() -> jwtClient.task(2), LabelStudioException.class));

            server.enqueue(json(401, "{\"detail\":\"refresh " + pat + " is blacklisted\"}"));
            LabelStudioClient revoked = client(pat).log(lines::add).build();
            errors.add(catchThrowableOfType(() -> revoked.task(3), LabelStudioException.class));

            // and through the default SLF4J sink as well
            server.enqueue(json(403, "{\"detail\":\"no\"}"));
            errors.add(catchThrowableOfType(() -> client(key).build().project(1), LabelStudioException.class));
        } finally {
            System.setErr(stderr);
        }

        assertThat(errors).doesNotContainNull();
        assertThat(lines).isNotEmpty().anySatisfy(l -> assertThat(l).contains("Authorization: Token ***"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Authorization: Bearer ***"));
        StringBuilder all = new StringBuilder(String.join("\n", lines)).append(captured.toString(StandardCharsets.UTF_8));
        for (Throwable t : errors) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            all.append(trace);
        }
        assertThat(all.toString()).contains("bad request for ***").contains("busy")
                .doesNotContain(key).doesNotContain(pat).doesNotContain(access).doesNotContain("Traceback");
        assertThat(((LabelStudioException) errors.get(3)).status()).isEqualTo(401);
    }
}
