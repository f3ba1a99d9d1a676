package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.LabelConfig;

/**
 * Label Studio's /setup body. {@code project} is "id.created_at"; hostname is often left at
 * http://localhost:8080 and the access token may be a disabled legacy token, which is why
 * configured values take precedence over both.
 */
public record SetupRequest(long projectId, String schema, String hostname, String accessToken, JsonNode extraParams) {
    /** A URL or a token: far longer than either ever is. */
    static final int MAX_FIELD_CHARS = 4096;

    static SetupRequest parse(JsonNode body) {
        String project = body.path("project").asText("");
        String id = project.split("\\.", 2)[0];
        if (!id.matches("\\d{1,18}")) {
            throw new InvalidRequest("setup needs \"project\" as \"<id>.<timestamp>\", got '" + project + "'");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw new InvalidRequest("setup needs \"schema\", the project's label config");
        }
        if (schema.asText().length() > LabelConfig.MAX_CHARS) {
            throw new InvalidRequest("setup's \"schema\" is longer than a label config may be (" + LabelConfig.MAX_CHARS + " characters)");
        }
        for (String field : new String[] {"hostname", "access_token"}) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) throw new InvalidRequest("setup's \"" + field + "\" must be a string");
            if (v != null && v.asText().length() > MAX_FIELD_CHARS) throw new InvalidRequest("setup's \"" + field + "\" is too long");
        }
        JsonNode extra = body.get("extra_params");
        return new SetupRequest(Long.parseLong(id), schema.asText(), body.path("hostname").asText(""),
                body.path("access_token").asText(""), extra == null || extra.isNull() ? null : extra);
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "SetupRequest[project=" + projectId + ", hostname=" + hostname + ", access_token=" + (accessToken.isEmpty() ? "none" : "****") + "]";
    }
}
