package dev.exemplar.labelstudio;

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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Media from a listed host are fetched only from the addresses the allow-list makes explicit, while Label Studio's
 * own address and the hop its redirect gives are trusted as configured. A fake resolver points every name at the
 * loopback, where the test servers listen.
 */
class MediaAddressTest {
    static final Dns LOOPBACK = host -> {
        if (host.endsWith(".example") || host.equals("localhost")) return List.of(InetAddress.getLoopbackAddress());
        throw new UnknownHostException(host);
    };

    MockWebServer ls;
    MockWebServer other;
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ls = new MockWebServer();
        other = new MockWebServer();
        ls.start(InetAddress.getLoopbackAddress(), 0);
        other.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        ls.shutdown();
        other.shutdown();
    }

    LabelStudioClient client(Set<String> allowed) {
        return LabelStudioClient.builder("http://localhost:" + ls.getPort(), "legacy-key").mediaHosts(allowed)
                .mediaDns(LOOPBACK).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).log(log::add).build();
    }

    static MockResponse image(int size) {
        return new MockResponse().setBody(new Buffer().write(new byte[size]));
    }

    @Test
    void aListedNameResolvingToThisMachineIsRefusedAtOnceWithoutARequest() {
        other.enqueue(image(7));

        LabelStudioException.HostNotAllowed e = catchThrowableOfType(
                () -> client(Set.of("cdn.example")).downloadMedia("http://cdn.example:" + other.getPort() + "/a.jpg", 1L),
                LabelStudioException.HostNotAllowed.class);

        assertThat(e.host()).isEqualTo("cdn.example");
        assertThat(e.getMessage()).contains("host cdn.example resolves to").contains("(a loopback address), which is not allowed");
        assertThat(other.getRequestCount()).isZero();
        assertThat(log.stream().filter(l -> l.startsWith("--> GET"))).as("not retried").hasSize(1);
    }

    @Test
    void theAddressListedTooIsFetchedFrom() {
        other.enqueue(image(7));

        byte[] bytes = client(Set.of("cdn.example", InetAddress.getLoopbackAddress().getHostAddress()))
                .downloadMedia("http://cdn.example:" + other.getPort() + "/a.jpg", 1L);

        assertThat(bytes).hasSize(7);
    }

    @Test
    void labelStudiosOwnAddressAndItsPresignedRedirectAreTrustedAsConfigured() {
        ls.enqueue(image(5));
        ls.enqueue(new MockResponse().setResponseCode(303)
                .setHeader("Location", "http://bucket.storage.example:" + other.getPort() + "/red.png?X-Amz-Signature=abc"));
        other.enqueue(image(6));
        LabelStudioClient c = client(Set.of());

        assertThat(c.downloadMedia("/data/upload/1/a.png", 1L)).hasSize(5);
        assertThat(c.downloadMedia("s3://bucket/red.png", 1L)).hasSize(6);
    }
}
