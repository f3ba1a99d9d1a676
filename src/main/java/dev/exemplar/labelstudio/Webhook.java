package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A webhook. Connecting an ML backend already makes Label Studio create one to {@code <backend>/webhook}
 * for all actions, so look before registering another on the same URL, or events arrive twice.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(
        @JsonProperty("id") Long id,
        @JsonProperty("project") Long project,
        @JsonProperty("url") String url,
        @JsonProperty("send_payload") Boolean sendPayload,
        @JsonProperty("send_for_all_actions") Boolean sendForAllActions,
        @JsonProperty("actions") List<String> actions,
        @JsonProperty("headers") ObjectNode headers,
        @JsonProperty("is_active") Boolean isActive) {
}
