package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A task. {@code predictions} and {@code annotations} are null unless Label Studio included them
 * (single-task GET, or a task list with {@code fields=all}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Task(
        @JsonProperty("id") long id,
        @JsonProperty("project") Long project,
        @JsonProperty("inner_id") Long innerId,
        @JsonProperty("data") ObjectNode data,
        @JsonProperty("meta") ObjectNode meta,
        @JsonProperty("total_annotations") int totalAnnotations,
        @JsonProperty("cancelled_annotations") int cancelledAnnotations,
        @JsonProperty("total_predictions") int totalPredictions,
        @JsonProperty("is_labeled") boolean isLabeled,
        @JsonProperty("annotations") ArrayNode annotations,
        @JsonProperty("predictions") List<Prediction> predictions) {
}
