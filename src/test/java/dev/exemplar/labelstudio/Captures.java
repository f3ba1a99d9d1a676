package dev.exemplar.labelstudio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.json.Json;
import okhttp3.mockwebserver.MockResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real Label Studio exchanges kept next to the project, and helpers to replay them. */
final class Captures {
    static final ObjectMapper JSON = Json.MAPPER;
    private static final Path DIR = Path.of("..", "shared", "labelstudio", "captured");

    private Captures() { }

    /** The recorded exchange; the test is skipped when the captures are not present. */
    static JsonNode exchange(String file) {
        Path p = DIR.resolve(file);
        assumeTrue(Files.isRegularFile(p), "captured exchange " + file + " not present");
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded answer as a MockWebServer response with the same status and body. */
    static MockResponse response(String file) {
        JsonNode r = exchange(file).path("response");
        return json(r.path("status").asInt(), r.path("body").toString());
    }

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** An unsigned JWT with the given claims; Label Studio's client side never checks signatures. */
    static String jwt(String tokenType, long exp, String jti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"token_type\":\"" + tokenType + "\",\"exp\":" + exp + ",\"jti\":\"" + jti
                + "\",\"user_id\":1}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString(("sig-" + jti).getBytes(StandardCharsets.UTF_8));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) { this.now = now; }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }
}
