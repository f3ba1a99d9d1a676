package dev.exemplar.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one configured JSON mapper: Label Studio's payloads, the backend's answers, result and analysis files and the
 * benchmarks' lines are all read and written with it. Fields a reader does not know are ignored, since Label Studio
 * adds fields from one version to the next; what must be present is checked where it is used. Thread-safe once
 * built; nothing reconfigures it.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** Indented, for files people read. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() { }
}
