package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A prediction as Label Studio stores it. {@link #of} builds one to send: fields left null are not
 * written, so Label Studio fills them (id, project, timestamps).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        @JsonProperty("id") Long id,
        @JsonProperty("task") long task,
        @JsonProperty("project") Long project,
        @JsonProperty("result") ArrayNode result,
        @JsonProperty("score") Double score,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("cluster") Integer cluster,
        @JsonProperty("neighbors") JsonNode neighbors,
        @JsonProperty("created_at") String createdAt) {

    public static Prediction of(long task, ArrayNode result, Double score, String modelVersion) {
        return new Prediction(null, task, null, result, score, modelVersion, null, null, null);
    }
}
