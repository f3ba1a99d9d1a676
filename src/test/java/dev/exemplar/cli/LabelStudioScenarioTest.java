package dev.exemplar.cli;

import dev.exemplar.cli.LabelStudioScenario.ImageFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the Label Studio driver that need no Label Studio. */
class LabelStudioScenarioTest {
    @Test
    void theBackendsRequestsToLabelStudioAreReadFromItsMetricsWhateverTheLabelOrder() {
        String metrics = """
                # HELP exemplar_labelstudio_requests_total Requests to Label Studio.
                # TYPE exemplar_labelstudio_requests_total counter
                exemplar_labelstudio_requests_total{method="PATCH",resource="tasks",status="200"} 40
                exemplar_labelstudio_requests_total{resource="tasks",method="PATCH",status="500"} 2
                exemplar_labelstudio_requests_total{method="POST",resource="import_predictions"} 3.0
                exemplar_http_requests_total{route="/health",status="200"} 7
                """;
        assertThat(LabelStudioScenario.labelStudioRequests(metrics))
                .isEqualTo(Map.of("PATCH tasks", 42L, "POST import_predictions", 3L));
    }

    @Test
    void aBackendThatDoesNotCountItsRequestsGivesNoFigureRatherThanZero() {
        assertThat(LabelStudioScenario.labelStudioRequests("exemplar_http_requests_total{route=\"/health\",status=\"200\"} 7\n")).isNull();
        assertThat(LabelStudioScenario.growth(null, Map.of("PATCH tasks", 1L))).isNull();
        assertThat(LabelStudioScenario.growth(Map.of("PATCH tasks", 1L), Map.of("PATCH tasks", 4L, "GET tasks", 2L)))
                .isEqualTo(Map.of("PATCH tasks", 3L, "GET tasks", 2L));
    }

    @Test
    void theImageFolderServesItsOwnFilesByExactNameAndNothingElse(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("a b.jpg"), new byte[] {1, 2, 3});
        Files.writeString(images.resolve(".hidden"), "no");
        Files.createDirectories(images.resolve("sub"));
        Files.writeString(images.resolve("sub/c.jpg"), "no");
        Files.writeString(dir.resolve("secret.txt"), "no");

        try (ImageFolder folder = new ImageFolder(images)) {
            assertThat(folder.names()).containsExactly("a b.jpg");
            URI url = URI.create(folder.url("a b.jpg"));
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(get(url.getPort(), url.getRawPath())).startsWith("HTTP/1.1 200").contains("image/jpeg");
            for (String path : new String[] {"/.hidden", "/sub/c.jpg", "/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/"}) {
                assertThat(get(url.getPort(), path)).as(path).startsWith("HTTP/1.1 404");
            }
        }
    }

    @Test
    void truthIsReadByFileNameFromTheNamedColumn(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("truth.csv"), "file,group,class\nimages/a.jpg,g1,cat\nimages/b.jpg,g2,\n");
        assertThat(LabelStudioScenario.truth(csv, "class")).isEqualTo(Map.of("a.jpg", "cat"));
        assertThat(LabelStudioScenario.truth(csv, "group")).isEqualTo(Map.of("a.jpg", "g1", "b.jpg", "g2"));
    }

    /** A request sent as written: an HTTP client would tidy ".." away before sending it. */
    private static String get(int port, String rawPath) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
