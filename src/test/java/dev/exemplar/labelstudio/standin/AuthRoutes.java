package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;

import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.json;

/** Current user, organisation JWT settings, personal access tokens and their refresh (PROTOCOL B.1). */
final class AuthRoutes {
    private final LabelStudioStandIn ls;

    AuthRoutes(LabelStudioStandIn ls) {
        this.ls = ls;
    }

    void register(Javalin app) {
        app.get("/api/current-user/whoami", ctx -> {
            var u = ls.user(ctx);
            synchronized (ls.state) { json(ctx, 200, ls.ser.whoami(u)); }
        });
        app.get("/api/jwt/settings", ctx -> {
            ls.user(ctx);
            json(ctx, 200, jwtSettings());
        });
        app.post("/api/jwt/settings", ctx -> {
            ls.user(ctx);
            JsonNode b = LabelStudioStandIn.bodyObject(ctx);
            synchronized (ls.state) {
                if (b.has("api_tokens_enabled")) ls.state.apiTokensEnabled = b.get("api_tokens_enabled").asBoolean();
                if (b.has("legacy_api_tokens_enabled")) ls.state.legacyTokensEnabled = b.get("legacy_api_tokens_enabled").asBoolean();
                if (b.has("api_token_ttl_days")) ls.state.apiTokenTtlDays = b.get("api_token_ttl_days").asInt();
            }
            json(ctx, 200, jwtSettings());
        });
        // Creating a PAT: answered 201 {"token": <refresh JWT>}.
        app.post("/api/token", ctx -> {
            var u = ls.user(ctx);
            if (!ls.state.apiTokensEnabled) throw new ApiError(403, "You do not have permission to perform this action.");
            json(ctx, 201, StandInState.object().put("token", ls.auth.issuePat(u.id)));
        });
        app.post("/api/token/refresh", ctx -> {
            JsonNode b = LabelStudioStandIn.bodyObject(ctx);
            if (!b.hasNonNull("refresh")) throw ApiError.validation("refresh", "This field is required.");
            json(ctx, 200, StandInState.object().put("access", ls.auth.refresh(b.get("refresh").asText())));
        });
        app.post("/api/token/blacklist", ctx -> {
            ls.user(ctx);
            JsonNode b = LabelStudioStandIn.bodyObject(ctx);
            ls.auth.revoke(b.path("refresh").asText(""));
            ctx.status(204);
        });
    }

    private ObjectNode jwtSettings() {
        synchronized (ls.state) {
            return StandInState.object().put("api_tokens_enabled", ls.state.apiTokensEnabled)
                    .put("legacy_api_tokens_enabled", ls.state.legacyTokensEnabled);
        }
    }
}
