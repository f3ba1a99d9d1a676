package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Authentication as Label Studio 1.23 does it (captures 01-09):
 * <ul>
 *   <li>{@code Authorization: Token <key>}: the user's legacy DRF token. When the organisation's
 *       JWT settings disable legacy tokens, a valid key gets 401 "Authentication token no longer
 *       valid: ..."; an unknown key (e.g. a PAT sent with this scheme) gets 401 "Invalid token.".</li>
 *   <li>Personal access tokens are JWT refresh tokens ({@code token_type: "refresh"}). They only
 *       work at {@code POST /api/token/refresh/}, which returns a short-lived access JWT.</li>
 *   <li>{@code Authorization: Bearer <access>}: a valid, unexpired access JWT. Anything else sent
 *       as Bearer (the PAT itself, an expired or forged token) is ignored by LS's JWT
 *       authenticator, so the request is anonymous and gets 401 "Authentication credentials were
 *       not provided." (captured for the PAT; the same answer for expired tokens is inferred).</li>
 *   <li>A {@code sessionid} cookie, standing for the browser session the captures used for the
 *       JWT settings page.</li>
 * </ul>
 */
final class Auth {
    static final String NOT_PROVIDED = "Authentication credentials were not provided.";

    private final StandInState state;
    private final byte[] secret = new byte[32];
    private final Map<String, Long> sessions = new HashMap<>();
    private final Map<String, Long> revokedPats = new HashMap<>();
    volatile Duration accessTokenLifetime;

    Auth(StandInState state, Duration accessTokenLifetime) {
        this.state = state;
        this.accessTokenLifetime = accessTokenLifetime;
        new SecureRandom().nextBytes(secret);
    }

    static String randomKey() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }

    String newSession(long userId) {
        String key = randomKey();
        synchronized (sessions) { sessions.put(key, userId); }
        return key;
    }

    /** The authenticated user, or an {@link ApiError} 401 with LS's wording. */
    StandInState.User authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            String[] parts = header.trim().split("\\s+", 2);
            String scheme = parts[0];
            String key = parts.length > 1 ? parts[1].trim() : "";
            if (scheme.equalsIgnoreCase("Token")) {
                synchronized (state) {
                    Optional<StandInState.User> u = state.userByLegacyToken(key);
                    if (u.isEmpty()) throw new ApiError(401, "Invalid token.");
                    if (!state.legacyTokensEnabled) {
                        throw new ApiError(401, "Authentication token no longer valid: legacy token authentication has been disabled for this organization");
                    }
                    return u.get();
                }
            }
            if (scheme.equalsIgnoreCase("Bearer")) {
                Optional<JsonNode> claims = verify(key);
                if (claims.isPresent() && "access".equals(claims.get().path("token_type").asText())) {
                    synchronized (state) {
                        StandInState.User u = state.users.get(claims.get().path("user_id").asLong());
                        if (u != null) return u;
                    }
                }
                throw new ApiError(401, NOT_PROVIDED);
            }
        }
        String session = ctx.cookie("sessionid");
        if (session != null) {
            Long id;
            synchronized (sessions) { id = sessions.get(session); }
            if (id != null) {
                synchronized (state) { return state.users.get(id); }
            }
        }
        throw new ApiError(401, NOT_PROVIDED);
    }

    // ----- JWT (HS256) -----

    String issuePat(long userId) {
        Instant now = state.now();
        return sign("refresh", userId, now, now.plus(Duration.ofDays(state.apiTokenTtlDays)));
    }

    String issueAccess(long userId) {
        Instant now = state.now();
        return sign("access", userId, now, now.plus(accessTokenLifetime));
    }

    /** {@code POST /api/token/refresh/}: a valid, unexpired, unrevoked refresh token gives an access token. */
    String refresh(String refreshToken) {
        Optional<JsonNode> claims = verify(refreshToken == null ? "" : refreshToken);
        if (claims.isEmpty() || !"refresh".equals(claims.get().path("token_type").asText())
                || revokedPats.containsKey(claims.get().path("jti").asText())) {
            throw new ApiError(401, "Token is invalid or expired");
        }
        return issueAccess(claims.get().path("user_id").asLong());
    }

    void revoke(String pat) {
        verify(pat).ifPresent(c -> revokedPats.put(c.path("jti").asText(), c.path("user_id").asLong()));
    }

    private String sign(String type, long userId, Instant iat, Instant exp) {
        ObjectNode header = StandInState.object().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = StandInState.object()
                .put("token_type", type)
                .put("exp", exp.getEpochSecond())
                .put("iat", iat.getEpochSecond())
                .put("jti", UUID.randomUUID().toString().replace("-", ""))
                .put("user_id", userId);
        String signingInput = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + b64(hmac(signingInput));
    }

    /** Claims of a well-signed, unexpired token; empty otherwise. */
    Optional<JsonNode> verify(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) return Optional.empty();
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(expected, given)) return Optional.empty();
        try {
            JsonNode claims = StandInState.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims.path("exp").asLong() <= state.now().getEpochSecond()) return Optional.empty();
            return Optional.of(claims);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
