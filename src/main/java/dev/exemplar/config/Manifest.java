package dev.exemplar.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** plugin.yaml: the plugin's identity and every setting with its environment variable and default. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        @JsonProperty("name") String name,
        @JsonProperty("title") String title,
        @JsonProperty("version") String version,
        @JsonProperty("protocol") String protocol,
        @JsonProperty("port") int port,
        @JsonProperty("health_path") String healthPath,
        @JsonProperty("model_class") String modelClass,
        @JsonProperty("control_tags") List<String> controlTags,
        @JsonProperty("settings") List<Setting> settings) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Setting(@JsonProperty("name") String name, @JsonProperty("env") String env,
                          @JsonProperty("default") String defaultValue, @JsonProperty("secret") boolean secret,
                          @JsonProperty("meaning") String meaning) { }

    /** The manifest packaged with the code. */
    public static Manifest load() {
        try (InputStream in = Manifest.class.getResourceAsStream("plugin.yaml")) {
            if (in == null) throw new IllegalStateException("plugin.yaml is missing from the build");
            return new ObjectMapper(new YAMLFactory()).readValue(in, Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plugin.yaml", e);
        }
    }

    /**
     * The one model version of everything Exemplar writes to Label Studio: it changes only with the
     * plugin's version, so Label Studio's "already predicted" check keeps holding between restarts.
     */
    public String modelVersion() {
        return name + "-" + version;
    }
}
