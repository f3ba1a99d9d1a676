package dev.exemplar.labelstudio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static dev.exemplar.json.Json.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A Label Studio that answers 5xx for a while, rate-limits with {@code Retry-After}, or drops the
 * connection mid-answer: reads and whole-value writes are repeated until they succeed, creating
 * requests are repeated only when Label Studio cannot have run them.
 */
class FaultyServerTest {
    private static final String TASK = "{\"id\":7,\"project\":1,\"data\":{\"image\":\"a.jpg\"}}";
    private static final String PAGE = "{\"total\":1,\"tasks\":[" + TASK + "]}";

    private MockWebServer server;
    private LabelStudioClient client;

    @BeforeEach void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = LabelStudioClient.builder(server.url("/").toString(), "legacy-key")
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetries(3).build();
    }

    @AfterEach void stop() throws Exception { server.shutdown(); }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static ArrayNode result() {
        ArrayNode r = MAPPER.createArrayNode();
        r.addObject().put("from_name", "label").put("to_name", "image").put("type", "choices")
                .putObject("value").putArray("choices").add("a");
        return r;
    }

    @Test void taskPagesAndTaskUpdatesOutlast500And502() throws Exception {
        server.enqueue(json(500, "{\"detail\":\"Internal Server Error\"}"));
        server.enqueue(json(502, "<html>Bad Gateway</html>"));
        server.enqueue(json(200, PAGE));
        server.enqueue(json(502, "<html>Bad Gateway</html>"));
        server.enqueue(json(500, "{\"detail\":\"Internal Server Error\"}"));
        server.enqueue(json(200, TASK));

        List<Task> tasks = client.tasks(1).toList();
        Task updated = client.updateTaskData(tasks.get(0), MAPPER.createObjectNode().put("sa_rank", 1));

        assertThat(tasks).extracting(Task::id).containsExactly(7L);
        assertThat(updated.id()).isEqualTo(7);
        assertThat(server.getRequestCount()).isEqualTo(6);
        for (int i = 0; i < 3; i++) assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
        for (int i = 0; i < 3; i++) assertThat(server.takeRequest().getMethod()).isEqualTo("PATCH");
    }

    @Test void aCreatingRequestAnswered500IsNotRepeated() {
        server.enqueue(json(500, "{\"detail\":\"Internal Server Error\"}"));
        server.enqueue(json(201, "{\"created\":1}"));

        LabelStudioException e = catchThrowableOfType(() -> client.importPredictions(1,
                List.of(Prediction.of(7, result(), 0.5, "v1"))), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(500);
        assertThat(server.getRequestCount()).as("a 500 may come after the predictions were created").isEqualTo(1);
    }

    @Test void a429WithRetryAfterInSecondsIsWaitedOut() throws Exception {
        server.enqueue(json(429, "{\"detail\":\"Request was throttled.\"}").setHeader("Retry-After", "1"));
        server.enqueue(json(200, TASK));

        long start = System.nanoTime();
        assertThat(client.task(7).id()).isEqualTo(7);
        long waited = (System.nanoTime() - start) / 1_000_000;

        assertThat(waited).as("ms waited").isGreaterThanOrEqualTo(1000).isLessThan(5000);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test void a429WithRetryAfterAsAnHttpDateIsWaitedOut() throws Exception {
        // the client's clock is 1 s before the date the server names; seconds are whole in an HTTP-date
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        client = LabelStudioClient.builder(server.url("/").toString(), "legacy-key").clock(Clock.fixed(now, ZoneOffset.UTC))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetries(3).build();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(1), ZoneOffset.UTC));
        server.enqueue(json(429, "{\"detail\":\"Request was throttled.\"}").setHeader("Retry-After", date));
        server.enqueue(json(200, TASK));

        long start = System.nanoTime();
        assertThat(client.task(7).id()).isEqualTo(7);
        long waited = (System.nanoTime() - start) / 1_000_000;

        assertThat(waited).as("ms waited").isGreaterThanOrEqualTo(1000).isLessThan(5000);
    }

    @Test void retryAfterIsReadInBothFormsAndBounded() {
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        LabelStudioClient c = LabelStudioClient.builder("http://127.0.0.1:1", "k").clock(Clock.fixed(now, ZoneOffset.UTC)).build();

        assertThat(c.retryAfterMillis("2")).isEqualTo(2000);
        assertThat(c.retryAfterMillis(" 3 ")).isEqualTo(3000);
        assertThat(c.retryAfterMillis("Mon, 05 Jan 2026 10:00:07 GMT")).isEqualTo(7000);
        // hostile or broken values: capped at a minute, or ignored
        assertThat(c.retryAfterMillis("99999999999999999")).isEqualTo(60_000);
        assertThat(c.retryAfterMillis("Fri, 31 Dec 9999 23:59:59 GMT")).isGreaterThan(60_000); // capped where it is used
        assertThat(c.retryAfterMillis("Mon, 05 Jan 2026 09:00:00 GMT")).isZero();
        assertThat(c.retryAfterMillis("-5")).isZero();
        assertThat(c.retryAfterMillis("soon")).isZero();
        assertThat(c.retryAfterMillis(null)).isZero();
        assertThat(LabelStudioClient.MAX_RETRY_AFTER).isEqualTo(Duration.ofSeconds(60));
    }

    @Test void a429OnACreatingRequestIsRepeatedSinceItWasNotRun() throws Exception {
        server.enqueue(json(429, "{\"detail\":\"Request was throttled.\"}").setHeader("Retry-After", "1"));
        server.enqueue(json(201, "{\"id\":3,\"task\":7,\"result\":[],\"score\":0.5,\"model_version\":\"v1\"}"));

        long start = System.nanoTime();
        Prediction p = client.createPrediction(7, result(), 0.5, "v1");

        assertThat(p.id()).isEqualTo(3);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo(server.takeRequest().getBody().readUtf8());
    }

    @Test void aReadCutOffMidAnswerIsRepeated() throws Exception {
        server.enqueue(json(200, PAGE).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        server.enqueue(json(200, PAGE).setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(200, PAGE));

        assertThat(client.tasks(1).toList()).extracting(Task::id).containsExactly(7L);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test void aWholeValuePatchWhoseAnswerWasLostIsRepeatedToTheSameValue() throws Exception {
        server.enqueue(json(200, TASK).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        server.enqueue(json(200, TASK));
        Task current = new Task(7, 1L, 1L, MAPPER.createObjectNode().put("image", "a.jpg"), null, 0, 0, 0, false, null, null);

        client.updateTaskData(current, MAPPER.createObjectNode().put("sa_rank", 1));

        assertThat(server.getRequestCount()).isEqualTo(2);
        String first = server.takeRequest().getBody().readUtf8();
        assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo(first).contains("\"sa_rank\":1").contains("a.jpg");
    }

    @Test void aCreatingPostWhoseAnswerWasLostIsSentOnce() {
        // nothing queued after the cut: a repeat would be answered 404 and counted
        ((okhttp3.mockwebserver.QueueDispatcher) server.getDispatcher()).setFailFast(true);
        for (SocketPolicy cut : List.of(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY, SocketPolicy.DISCONNECT_AFTER_REQUEST)) {
            int before = server.getRequestCount();
            server.enqueue(json(201, "{\"created\":1}").setSocketPolicy(cut));

            LabelStudioException e = catchThrowableOfType(() -> client.importPredictions(1,
                    List.of(Prediction.of(7, result(), 0.5, "v1"))), LabelStudioException.class);

            assertThat(e).as(cut.name()).isNotNull();
            assertThat(server.getRequestCount() - before).as(cut + ": one POST").isEqualTo(1);
        }
    }
}
