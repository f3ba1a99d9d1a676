package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * HTTP calls the stand-in makes: webhooks (LS {@code webhooks/utils.py::run_webhook}: one POST,
 * {@code WEBHOOK_TIMEOUT} = 1 s, no retry, failures only logged) and ML-backend calls (LS
 * {@code ml/api_connector.py}: 1 s connect timeout, per-endpoint read timeouts, non-JSON bodies and
 * statuses of 400 and above are errors). Every call is recorded so tests can assert on it. Never
 * called while the state lock is held, so a receiver may call back into the stand-in.
 */
final class Outbound {
    /** One outbound request and how it ended. */
    public record Call(String method, String url, Map<String, String> headers, String body, int status,
                       String responseBody, String error) {
        /** The request body as JSON. */
        public JsonNode json() {
            try {
                return body == null ? StandInState.JSON.missingNode() : StandInState.JSON.readTree(body);
            } catch (Exception e) {
                return StandInState.JSON.missingNode();
            }
        }
    }

    /** Result of an ML-backend call: the JSON answer, or the error text LS would store. */
    record MlResult(JsonNode body, String error, int status) {
        boolean ok() { return error == null; }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    volatile Duration webhookTimeout = Duration.ofSeconds(1);

    List<Call> calls() {
        synchronized (calls) { return List.copyOf(calls); }
    }

    void webhook(String url, Map<String, String> headers, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(webhookTimeout)
                .header("Content-Type", "application/json").header("User-Agent", "python-requests/2.28.1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(b::header);
        send("POST", url, headers, body.toString(), b.build());
    }

    /** A call to an ML backend. {@code body == null} means GET. */
    MlResult ml(String baseUrl, String suffix, JsonNode body, Duration readTimeout, String basicUser, String basicPass) {
        String url = baseUrl.endsWith("/") ? baseUrl + suffix : baseUrl + "/" + suffix;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(readTimeout).header("User-Agent", "heartex/");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (basicUser != null && !basicUser.isEmpty() && basicPass != null) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + basicPass).getBytes()));
        }
        headers.forEach(b::header);
        if (body == null) b.GET();
        else b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        Call c = send(body == null ? "GET" : "POST", url, headers, body == null ? null : body.toString(), b.build());
        if (c.error != null) return new MlResult(null, c.error, c.status);
        if (c.status >= 400) return new MlResult(null, c.status + " Error for url: " + url, c.status);
        JsonNode parsed;
        try {
            parsed = StandInState.JSON.readTree(c.responseBody);
        } catch (Exception e) {
            parsed = null;
        }
        if (parsed == null || parsed.isMissingNode()) return new MlResult(null, "Expecting value: line 1 column 1 (char 0)", c.status);
        return new MlResult(parsed, null, c.status);
    }

    /** A START_TRAINING-style POST to the ML backend's /webhook with the ML client's agent. */
    void mlWebhook(String baseUrl, ObjectNode body, Duration timeout) {
        ml(baseUrl, "webhook", body, timeout, null, null);
    }

    private Call send(String method, String url, Map<String, String> headers, String body, HttpRequest req) {
        Call c;
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            c = new Call(method, url, headers, body, r.statusCode(), r.body(), null);
        } catch (Exception e) {
            c = new Call(method, url, headers, body, -1, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        calls.add(c);
        return c;
    }
}
