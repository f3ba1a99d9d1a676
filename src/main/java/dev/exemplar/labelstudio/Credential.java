package dev.exemplar.labelstudio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * The key a client authenticates with, and the header it yields.
 *
 * <p>Label Studio accepts two kinds of key. A legacy token is an opaque string sent as
 * {@code Authorization: Token <key>}. A personal access token is a JWT refresh token: Label Studio
 * rejects it both as {@code Token} and as {@code Bearer}; it must be exchanged at
 * {@code POST /api/token/refresh/} for a short-lived access JWT, which is sent as {@code Bearer}.
 * A key is taken for a JWT when it has three dot-separated base64url parts whose middle one decodes to a
 * JSON object (the same test Label Studio's own SDK makes); anything else is a legacy token.
 *
 * <p>Thread-safe: one access token is shared, and only one thread refreshes it at a time.
 */
final class Credential {

    private final String key;
    private final boolean personalAccessToken;
    private final Function<String, String> exchange;
    private final Duration margin;
    private final Clock clock;

    private String access;
    private Instant accessExpiry;

    /** @param exchange turns the refresh token into an access token (one call to /api/token/refresh/) */
    Credential(String key, Function<String, String> exchange, Duration margin, Clock clock) {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("an API key is needed");
        this.key = key.trim();
        this.personalAccessToken = payload(this.key) != null;
        this.exchange = exchange;
        this.margin = margin;
        this.clock = clock;
        if (personalAccessToken) {
            Instant exp = expiry(this.key);
            // fail at construction, not on the first call, like the SDK does
            if (exp != null && !exp.isAfter(clock.instant())) {
                throw new IllegalArgumentException("the personal access token has expired; create a new one in Label Studio");
            }
        }
    }

    boolean isPersonalAccessToken() { return personalAccessToken; }

    /** The Authorization header value, refreshing the access token first when it is near its expiry. */
    synchronized String header() {
        if (!personalAccessToken) return "Token " + key;
        if (access == null || (accessExpiry != null && !clock.instant().isBefore(accessExpiry.minus(margin)))) {
            refresh();
        }
        return "Bearer " + access;
    }

    /**
     * Label Studio rejected {@code usedHeader}: drop that access token so the next {@link #header()} gets
     * a new one. When another thread has already replaced it, nothing happens, so one rejection costs
     * one refresh however many threads saw it. Returns whether a retry can help.
     */
    synchronized boolean rejected(String usedHeader) {
        if (!personalAccessToken) return false;
        if (access != null && usedHeader.equals("Bearer " + access)) access = null;
        return true;
    }

    private void refresh() {
        String fresh = exchange.apply(key);
        if (fresh == null || fresh.isBlank()) throw new IllegalStateException("Label Studio returned no access token");
        access = fresh;
        accessExpiry = expiry(fresh); // null: no exp claim, so only a 401 triggers the next refresh
    }

    /** Replaces every occurrence of the key or the current access token in {@code text}. */
    synchronized String mask(String text) {
        if (text == null) return null;
        String out = text.replace(key, "***");
        return access == null ? out : out.replace(access, "***");
    }

    /** The decoded JWT payload, or null when the string is not a JWT. Signatures are not checked. */
    static JsonNode payload(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) return null;
        try {
            JsonNode p = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return p != null && p.isObject() ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    static Instant expiry(String jwt) {
        JsonNode p = payload(jwt);
        return p != null && p.path("exp").isNumber() ? Instant.ofEpochSecond(p.path("exp").asLong()) : null;
    }
}
