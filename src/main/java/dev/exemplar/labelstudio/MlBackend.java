package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An ML backend connected to a project; {@code modelVersion} is what its /setup last answered. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MlBackend(
        @JsonProperty("id") long id,
        @JsonProperty("url") String url,
        @JsonProperty("title") String title,
        @JsonProperty("model_version") String modelVersion) {
}
