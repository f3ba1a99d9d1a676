package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What was found to stall or break the backend, each answered now as a client's mistake, fast, with nothing kept. */
class HostileRequestsTest extends ServerFixture {
    static final Map<String, String> AUTH = Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw");

    Answer raw(String path, byte[] body, String contentType, Map<String, String> headers) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path);
        headers.forEach(b::header);
        b.post(RequestBody.create(body, contentType == null ? null : MediaType.get(contentType)));
        long t0 = System.nanoTime();
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            assertThat((System.nanoTime() - t0) / 1e9).as("answered fast: " + path).isLessThan(2.0);
            JsonNode node = r.header("Content-Type", "").startsWith("application/json") ? JSON.readTree(text) : null;
            return new Answer(r.code(), node, r);
        }
    }

    @Test
    void aWebhookCarryingAHostileLabelConfigNeitherStallsNorOverwritesTheStoredOne() throws IOException {
        start(AUTH);
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("ls:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(call("POST", "/setup", SETUP, auth).status()).isEqualTo(200);
        String kept = store.projects().labelConfig(12).orElseThrow();

        var event = JSON.createObjectNode().put("action", "ANNOTATION_CREATED");
        event.putObject("project").put("id", 12).put("label_config", "<a ".repeat(20_000));
        Answer a = raw("/webhook", JSON.writeValueAsBytes(event), "application/json", Map.of());

        assertThat(a.status()).isEqualTo(200);
        assertThat(store.projects().labelConfig(12)).hasValue(kept);
        assertThat(raw("/webhook", "{\"action\": \"PROJECT_UPDATED\", \"project\": {\"id\": 12}}".getBytes(StandardCharsets.UTF_8),
                "application/json", Map.of()).status()).as("the next event").isEqualTo(200);
    }

    @Test
    void setupWithAHugeHostileSchemaIsRefusedOrReadFast() throws IOException {
        start(Map.of());
        var body = JSON.createObjectNode().put("project", "12.1").put("schema", "<Image ".repeat(20_000));
        assertThat(raw("/setup", JSON.writeValueAsBytes(body), "application/json", Map.of()).status()).as("140 KB: read, fast").isEqualTo(200);
        body.put("schema", "<Image ".repeat(60_000));
        Answer big = raw("/setup", JSON.writeValueAsBytes(body), "application/json", Map.of());
        assertThat(big.status()).as("past the label config bound").isEqualTo(400);
        assertThat(big.body().get("error").asText()).contains("schema");
    }

    @Test
    void webhookEventsWithoutAUsableProjectAre400AndNotQueued() throws IOException {
        start(AUTH);
        List<String> bodies = List.of("{\"action\": 5}", "{\"action\": \"TASKS_CREATED\"}",
                "{\"action\": \"TASKS_CREATED\", \"project\": \"x\"}",
                "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": \"x\"}}",
                "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 12345678901234567890123}}",
                "{\"action\": \"TASKS_CREATED\", \"project\": 12345678901234567890123}",
                "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": -4}}",
                "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 1.5}}",
                "{\"action\": \"TASKS_CREATED\", \"project\": null}",
                "{\"action\": [\"TASKS_CREATED\"], \"project\": {\"id\": 1}}",
                "{\"action\": {}, \"project\": {\"id\": 1}}",
                "[1, 2]", "\"text\"", "", "{nope");
        for (String b : bodies) {
            Answer a = raw("/webhook", b.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
            assertThat(a.status()).as(b).isEqualTo(400);
            assertThat(a.body().get("error").asText()).as(b).isNotBlank();
        }
        Answer notUtf8 = raw("/webhook", new byte[] {'{', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, "application/json", Map.of());
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.body().get("error").asText()).contains("UTF-8");
        Answer plain = raw("/webhook", "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8),
                "text/plain", Map.of());
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.body().get("error").asText()).contains("JSON");
        assertThat(store.events().counts().values().stream().mapToInt(Integer::intValue).sum()).as("nothing queued").isZero();
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void bodiesPastARoutesBoundAre413() throws IOException {
        start(Map.of());
        byte[] big = ("{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 1}, \"pad\": \"" + "x".repeat(BackendServer.MAX_WEBHOOK_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Answer webhook = raw("/webhook", big, "application/json", Map.of());
        assertThat(webhook.status()).isEqualTo(413);
        assertThat(webhook.body().get("error").asText()).contains("larger");
        assertThat(raw("/setup", big, "application/json", Map.of()).status()).isEqualTo(413);
        byte[] huge = new byte[BackendServer.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(raw("/predict", huge, "application/json", Map.of()).status()).isEqualTo(413);
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void aSetWebhookSecretIsRequiredInItsHeader() throws IOException {
        start(Map.of("EXEMPLAR_WEBHOOK_SECRET", "s3cret"));
        byte[] event = "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8);
        assertThat(raw("/webhook", event, "application/json", Map.of()).status()).isEqualTo(401);
        assertThat(raw("/webhook", event, "application/json", Map.of(BackendServer.WEBHOOK_SECRET_HEADER, "wrong")).status()).isEqualTo(401);
        assertThat(raw("/webhook", event, "application/json", Map.of(BackendServer.WEBHOOK_SECRET_HEADER, "s3cret")).status()).isEqualTo(200);
    }

    @Test
    void setupHostsOutsideTheConfiguredOnesAreRefused() throws IOException {
        start(Map.of("EXEMPLAR_LABEL_STUDIO_HOSTS", "localhost:8080, ls.internal"));
        assertThat(call("POST", "/setup", SETUP, null).status()).as("http://localhost:8080").isEqualTo(200);
        Answer other = call("POST", "/setup", SETUP.replace("http://localhost:8080", "http://169.254.169.254"), null);
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("error").asText()).contains("label_studio_hosts");
        assertThat(call("POST", "/setup", SETUP.replace("http://localhost:8080", "file:///etc/passwd"), null).status()).isEqualTo(400);
        assertThat(setups).hasSize(1);
    }

    @Test
    void setupsHostIsUsedFreelyOnlyWhenNoHostsAreConfigured() throws IOException {
        start(Map.of());
        assertThat(call("POST", "/setup", SETUP.replace("http://localhost:8080", "http://elsewhere:1"), null).status()).isEqualTo(200);
        start2(Map.of("LABEL_STUDIO_URL", "http://ls:8080", "EXEMPLAR_LABEL_STUDIO_HOSTS", "ls:8080"));
        assertThat(call("POST", "/setup", SETUP.replace("http://localhost:8080", "http://elsewhere:1"), null).status())
                .as("the configured URL wins, so the hostname is never called").isEqualTo(200);
    }

    private void start2(Map<String, String> env) {
        server.close();
        start(env);
    }

    @Test
    void theSetupTokenNeverReachesTheDatabase() throws IOException {
        start(Map.of());
        String token = "tok-" + "9f3b2c7e1d".repeat(3);
        assertThat(call("POST", "/setup", SETUP.replace("abc123", token), null).status()).isEqualTo(200);
        store.close();
        store = null;
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(token);
            }
        }
    }
}
