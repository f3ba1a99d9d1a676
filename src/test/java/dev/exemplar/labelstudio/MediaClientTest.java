package dev.exemplar.labelstudio;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Media downloads: where the credential goes, which hosts are fetched, and how much is read. */
class MediaClientTest {
    private static final String KEY = "media-legacy-key";
    private MockWebServer ls;
    private MockWebServer other;
    private String lsBase;
    private String otherBase;

    @BeforeEach void start() throws Exception {
        ls = new MockWebServer();
        other = new MockWebServer();
        ls.start();
        other.start();
        // two names for the loopback, so that the two servers are two hosts
        lsBase = "http://localhost:" + ls.getPort();
        otherBase = "http://127.0.0.1:" + other.getPort();
    }

    @AfterEach void stop() throws Exception { ls.shutdown(); other.shutdown(); }

    private LabelStudioClient client(Set<String> allowed) {
        return LabelStudioClient.builder(lsBase, KEY).mediaHosts(allowed).maxMediaBytes(1000)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
    }

    private static MockResponse image(int size) {
        return new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(new byte[size]));
    }

    private static RecordedRequest take(MockWebServer s) throws InterruptedException {
        RecordedRequest r = s.takeRequest(2, TimeUnit.SECONDS);
        assertThat(r).as("request").isNotNull();
        return r;
    }

    @Test void uploadsAndLocalFilesResolveAgainstLabelStudioWithTheToken() throws Exception {
        ls.enqueue(image(10));
        ls.enqueue(image(20));
        ls.enqueue(image(30));
        LabelStudioClient c = client(Set.of());

        assertThat(c.downloadMedia("/data/upload/3/ab12-red.png", 1L)).hasSize(10);
        assertThat(c.downloadMedia("/data/local-files/?d=images/red%20car.jpg", 1L)).hasSize(20);
        assertThat(c.downloadMedia(lsBase + "/data/upload/3/blue.png", 1L)).hasSize(30);

        RecordedRequest upload = take(ls);
        assertThat(upload.getPath()).isEqualTo("/data/upload/3/ab12-red.png");
        assertThat(upload.getHeader("Authorization")).isEqualTo("Token " + KEY);
        RecordedRequest local = take(ls);
        assertThat(local.getPath()).isEqualTo("/data/local-files/?d=images/red%20car.jpg");
        assertThat(local.getHeader("Authorization")).isEqualTo("Token " + KEY);
        assertThat(take(ls).getHeader("Authorization")).isEqualTo("Token " + KEY);
    }

    @Test void anAllowedOtherHostGetsNoToken() throws Exception {
        other.enqueue(image(7));

        byte[] bytes = client(Set.of("127.0.0.1")).downloadMedia(otherBase + "/red.png", 1L);

        assertThat(bytes).hasSize(7);
        assertThat(take(other).getHeader("Authorization")).isNull();
        assertThat(ls.getRequestCount()).isZero();
    }

    @Test void aHostOffTheAllowListIsRefusedWithoutARequest() {
        LabelStudioException.HostNotAllowed e = catchThrowableOfType(
                () -> client(Set.of("images.example.org")).downloadMedia(otherBase + "/red.png", 1L),
                LabelStudioException.HostNotAllowed.class);

        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(other.getRequestCount()).isZero();
    }

    @Test void aRedirectFromAnAllowedHostMustAlsoBeAllowed() throws Exception {
        other.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://internal.invalid/secret"));

        LabelStudioException.HostNotAllowed e = catchThrowableOfType(
                () -> client(Set.of("127.0.0.1")).downloadMedia(otherBase + "/red.png", 1L),
                LabelStudioException.HostNotAllowed.class);

        assertThat(e.host()).isEqualTo("internal.invalid");
    }

    @Test void cloudUrisArePresignedByLabelStudioAndTheSignedUrlGetsNoToken() throws Exception {
        ls.enqueue(new MockResponse().setResponseCode(303).setHeader("Location", otherBase + "/bucket/red.png?X-Amz-Signature=abc"));
        other.enqueue(image(5));

        byte[] bytes = client(Set.of()).downloadMedia("s3://bucket/images/red.png", 7L);

        assertThat(bytes).hasSize(5);
        RecordedRequest presign = take(ls);
        assertThat(presign.getRequestUrl().encodedPath()).isEqualTo("/tasks/7/presign/");
        String fileuri = presign.getRequestUrl().queryParameter("fileuri");
        assertThat(new String(Base64.getUrlDecoder().decode(fileuri), StandardCharsets.UTF_8)).isEqualTo("s3://bucket/images/red.png");
        assertThat(presign.getHeader("Authorization")).isEqualTo("Token " + KEY);
        RecordedRequest signed = take(other);
        assertThat(signed.getPath()).isEqualTo("/bucket/red.png?X-Amz-Signature=abc");
        assertThat(signed.getHeader("Authorization")).isNull();
    }

    @Test void theSizeCapHoldsWithAndWithoutADeclaredLength() throws Exception {
        ls.enqueue(image(1000));
        ls.enqueue(image(5000));
        ls.enqueue(new MockResponse().setChunkedBody(new Buffer().write(new byte[5000]), 512));
        LabelStudioClient c = client(Set.of());

        assertThat(c.downloadMedia("/data/upload/1/at-cap.png", 1L)).hasSize(1000);
        catchThrowableOfType(() -> c.downloadMedia("/data/upload/1/declared.png", 1L), LabelStudioException.TooLarge.class);
        LabelStudioException.TooLarge e = catchThrowableOfType(
                () -> c.downloadMedia("/data/upload/1/chunked.png", 1L), LabelStudioException.TooLarge.class);
        assertThat(e.getMessage()).contains("/data/upload/1/chunked.png").contains("1000 bytes");
    }

    @Test void aFailedDownloadNamesThePathNotTheToken() {
        ls.enqueue(new MockResponse().setResponseCode(403).setBody("{\"detail\":\"You do not have permission to perform this action.\"}"));

        LabelStudioException e = catchThrowableOfType(
                () -> client(Set.of()).downloadMedia("/data/local-files/?d=x.jpg", 1L), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("/data/local-files/?d=x.jpg").contains("permission").doesNotContain(KEY);
    }

    @Test void aRedirectFromAnAllowedHostToAnotherAllowedHostIsFollowed() throws Exception {
        other.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", otherBase + "/moved/red.png"));
        other.enqueue(image(9));

        byte[] bytes = client(Set.of("127.0.0.1")).downloadMedia(otherBase + "/red.png", 1L);

        assertThat(bytes).hasSize(9);
        assertThat(take(other).getPath()).isEqualTo("/red.png");
        assertThat(take(other).getPath()).isEqualTo("/moved/red.png");
    }

    @Test void aRedirectFromLabelStudiosMediaToAHostOffTheListIsRefusedAfterTheFirstHop() throws Exception {
        // Label Studio's own redirect (e.g. to a presigned URL) may go anywhere, but that host's redirect may not
        ls.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", otherBase + "/signed.png"));
        other.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://metadata.invalid/latest"));

        LabelStudioException.HostNotAllowed e = catchThrowableOfType(
                () -> client(Set.of()).downloadMedia("/data/upload/1/a.png", 1L), LabelStudioException.HostNotAllowed.class);

        assertThat(e.host()).isEqualTo("metadata.invalid");
    }

    @Test void aRedirectToAnotherSchemeIsNotFollowed() {
        ls.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "file:///etc/passwd"));

        LabelStudioException e = catchThrowableOfType(
                () -> client(Set.of()).downloadMedia("/data/upload/1/a.png", 1L), LabelStudioException.class);

        assertThat(e.getMessage()).contains("not http(s)").doesNotContain("root:");
    }

    @Test void fileUrlsAreNeverRead() {
        for (String url : new String[] {"file:///etc/passwd", "file:/etc/passwd"}) {
            LabelStudioException e = catchThrowableOfType(() -> client(Set.of()).downloadMedia(url, 1L), LabelStudioException.class);
            assertThat(e).as(url).isNotNull();
            assertThat(e.getMessage()).as(url).doesNotContain("root:");
        }
        assertThat(ls.getRequestCount()).isZero();
        assertThat(other.getRequestCount()).isZero();
    }

    @Test void localFilesPathsThatClimbOutOfTheRootAreNotAskedFor() {
        for (String url : new String[] {"/data/local-files/?d=../../etc/passwd", "/data/local-files/?d=%2e%2e/%2e%2e/etc/passwd",
                "/data/local-files/?d=images/../../secret.jpg", "/data/local-files/?d=%2F..%2Fetc%2Fpasswd"}) {
            LabelStudioException e = catchThrowableOfType(() -> client(Set.of()).downloadMedia(url, 1L), LabelStudioException.class);
            assertThat(e).as(url).isNotNull();
            assertThat(e.getMessage()).as(url).contains("local-files");
        }
        assertThat(ls.getRequestCount()).isZero();
    }
}
