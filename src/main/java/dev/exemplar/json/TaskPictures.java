package dev.exemplar.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a task of a Label Studio tasks export has its picture: the named field of its {@code data}, or else the first
 * string there that looks like an image URL or path; and the path a local-files URL names. One rule for the command
 * line and the Spark job, which read exports alike.
 */
public final class TaskPictures {
    private static final Pattern IMAGE_EXTENSION =
            Pattern.compile(".*\\.(jpe?g|png|gif|bmp|webp|tiff?|heic|avif)$", Pattern.CASE_INSENSITIVE);
    /** How Label Studio's URLs of files below its local-files document root begin. */
    public static final String LOCAL_FILES = "/data/local-files/";
    /** How the error of a task without an image begins. */
    public static final String NO_IMAGE = "task has no image";

    private TaskPictures() { }

    /** The picture of a task: {@code field} of its data (null to guess); an IOException saying why there is none. */
    public static String of(JsonNode task, String field) throws IOException {
        JsonNode data = task.get("data");
        if (data == null || !data.isObject()) throw new IOException("task has no \"data\" object");
        if (field != null) {
            JsonNode v = data.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new IOException(NO_IMAGE + ": data has no text field \"" + field + "\"");
            }
            return v.asText();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            JsonNode v = it.next().getValue();
            if (v.isTextual() && looksLikeImage(v.asText())) return v.asText();
        }
        throw new IOException(NO_IMAGE + ": no field of data looks like an image URL or path");
    }

    public static boolean looksLikeImage(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("http://") || v.startsWith("https://") || v.startsWith("file:")
                || v.startsWith(LOCAL_FILES) || v.startsWith("/data/upload/")) {
            return true;
        }
        int q = v.indexOf('?');
        return IMAGE_EXTENSION.matcher(q < 0 ? v : v.substring(0, q)).matches();
    }

    /** The {@code d} parameter of a local-files URL: a path relative to the local-files root. */
    public static String localFilesPath(String url) throws IOException {
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String param : url.substring(q + 1).split("&")) {
                if (param.startsWith("d=")) {
                    String d = URLDecoder.decode(param.substring(2), StandardCharsets.UTF_8);
                    // "d" is relative to the document root even when written with a leading slash
                    while (d.startsWith("/")) d = d.substring(1);
                    if (!d.isEmpty()) return d;
                }
            }
        }
        throw new IOException("local-files URL without a \"d\" parameter: " + url);
    }
}
