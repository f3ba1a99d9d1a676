package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The project fields the backend reads; Label Studio sends many more, which are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Project(
        @JsonProperty("id") long id,
        @JsonProperty("title") String title,
        @JsonProperty("label_config") String labelConfig,
        // LS may hold an ML backend's title here instead of a prediction model_version
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("sampling") String sampling,
        @JsonProperty("show_collab_predictions") Boolean showCollabPredictions,
        @JsonProperty("evaluate_predictions_automatically") Boolean evaluatePredictionsAutomatically,
        @JsonProperty("task_number") Integer taskNumber,
        @JsonProperty("parsed_label_config") ObjectNode parsedLabelConfig) {
}
