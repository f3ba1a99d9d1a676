package dev.exemplar.labelstudio;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.exemplar.json.Json.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A server that closes a kept-alive connection after answering, as Label Studio's servers do with idle ones:
 * the next GET, sent on the pooled connection, is repeated on a fresh one; a POST whose body went out is not.
 * The client's own retries are off, so what recovers here is the transport.
 */
class StaleConnectionTest {
    private MockWebServer server;
    private LabelStudioClient client;

    @BeforeEach void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = LabelStudioClient.builder(server.url("/").toString(), "legacy-key").maxRetries(0)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
    }

    @AfterEach void stop() throws Exception { server.shutdown(); }

    private static MockResponse views() {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody("[]");
    }

    @Test void aGetOnAConnectionTheServerClosedIsSentAgainOnAFreshOne() throws Exception {
        // answered with keep-alive, then the server closes the connection: it stays in the client's pool
        server.enqueue(views().setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
        server.enqueue(views());

        assertThat(client.views(1)).isEmpty();
        Thread.sleep(100); // the close has reached the client's socket, which still looks reusable
        assertThat(client.views(1)).isEmpty();

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getSequenceNumber()).isZero();
        // the second GET went out on a new connection
        assertThat(server.takeRequest().getSequenceNumber()).isZero();
    }

    @Test void aPostWhoseAnswerWasLostIsNotSentTwice() throws Exception {
        // a connection that has served a request is one OkHttp would retry on a fresh one after a failure
        server.enqueue(views());
        // the server reads the POST and closes without answering: it may have created the view
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"id\": 9, \"project\": 1}"));
        assertThat(client.views(1)).isEmpty();

        LabelStudioException e = catchThrowableOfType(() -> client.createView(1, MAPPER.createObjectNode()),
                LabelStudioException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("not retried, the request may have been applied");
        assertThat(server.getRequestCount()).as("the GET and one POST").isEqualTo(2);
    }
}
