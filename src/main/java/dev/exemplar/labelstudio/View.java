package dev.exemplar.labelstudio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A Data Manager tab. {@code data} is kept as the whole JSON object because Label Studio stores it as
 * given and the UI adds keys of its own ({@code hiddenColumns}, {@code columnsDisplayType}, ...) that an
 * update must carry along.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record View(
        @JsonProperty("id") long id,
        @JsonProperty("project") long project,
        @JsonProperty("user") Long user,
        @JsonProperty("order") Integer order,
        @JsonProperty("data") ObjectNode data) {

    public String title() {
        return data == null ? null : data.path("title").asText(null);
    }

    /** {@code {"conjunction": "and"|"or", "items": [...]}}, or null. */
    JsonNode filters() {
        return data == null ? null : data.get("filters");
    }

    /** Only the first entry is used by Label Studio; a leading '-' means descending. */
    List<String> ordering() {
        List<String> out = new ArrayList<>();
        if (data != null) data.path("ordering").forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * View data in the shape the Data Manager writes: e.g. filters
     * {@code {"conjunction":"and","items":[{"filter":"filter:tasks:data.role","operator":"equal","type":"String","value":"delegate"}]}}
     * and ordering {@code ["tasks:data.rank"]}.
     */
    public static ObjectNode data(String title, JsonNode filters, List<String> ordering) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("title", title);
        if (filters != null) {
            d.set("filters", filters);
        } else {
            d.putObject("filters").put("conjunction", "and").putArray("items");
        }
        ordering.forEach(d.putArray("ordering")::add);
        return d;
    }
}
