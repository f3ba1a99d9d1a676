package dev.exemplar.cli;

import dev.exemplar.fetch.FetchPolicy;
import okhttp3.Dns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A host allowed by name whose DNS answer is this machine (or the LAN, or the cloud's metadata service) is not
 * downloaded from unless the address was allowed too; the server never sees a request. The name is answered
 * by a fake resolver pointing at a local test server.
 */
class PrivateAddressDownloadTest {
    MockWebServer server;
    String url;
    /** images.example.com and localhost, both resolving to the loopback, where the test server listens. */
    final Dns dns = host -> {
        if (!host.equals("images.example.com") && !host.equals("localhost")) throw new UnknownHostException(host);
        return List.of(InetAddress.getLoopbackAddress());
    };

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
        url = "http://images.example.com:" + server.getPort() + "/a.jpg";
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    Downloader downloader(String... allowed) {
        return new Downloader(FetchPolicy.anyHostUnlessListed(List.of(allowed), 1000), Duration.ofSeconds(5), dns);
    }

    @Test
    void anAllowedNameResolvingToLoopbackIsRefusedWithoutARequest() {
        server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[10])));

        assertThatThrownBy(() -> downloader("images.example.com").get(url))
                .isInstanceOf(FetchPolicy.Refused.class)
                .hasMessage("host images.example.com resolves to " + InetAddress.getLoopbackAddress().getHostAddress()
                        + " (a loopback address), which is not allowed: list the address itself to fetch from it")
                .satisfies(e -> assertThat(((FetchPolicy.Refused) e).rule()).isEqualTo(FetchPolicy.Refused.Rule.ADDRESS));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theLoopbackAllowedItselfIsDownloadedFrom() throws Exception {
        server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[10])));

        byte[] bytes = downloader("images.example.com", InetAddress.getLoopbackAddress().getHostAddress()).get(url);

        assertThat(bytes).hasSize(10);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void withNoListAnyAddressIsDownloadedFromAsBefore() throws Exception {
        server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[10])));

        assertThat(downloader().get(url)).hasSize(10);
    }

    @Test
    void aRedirectToAnAllowedNameResolvingInsideIsRefusedToo() {
        String start = "http://localhost:" + server.getPort() + "/start";
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", url));
        server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[10])));

        assertThatThrownBy(() -> downloader("localhost", "images.example.com").get(start))
                .isInstanceOf(FetchPolicy.Refused.class).hasMessageContaining("(a loopback address)");
        // localhost is explicit for the loopback; images.example.com, leading to the same address, is not
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
