package dev.exemplar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.summary.Item;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Items of a Label Studio tasks export (a JSON array of {@code {"id": .., "data": {..}}}), named by task id.
 * The picture is the {@code --image-field} of {@code data}, or else its first string that looks like an image
 * URL or path. A task whose picture cannot be found or fetched is an item whose reader fails with the reason,
 * so it ends up among the result's errors.
 */
public final class TaskExport {
    private static final Pattern IMAGE_EXTENSION =
            Pattern.compile(".*\\.(jpe?g|png|gif|bmp|webp|tiff?|heic|avif)$", Pattern.CASE_INSENSITIVE);
    private static final String LOCAL_FILES = "/data/local-files/";

    /**
     * @param imageField     the field of {@code data} holding the picture, or null to guess
     * @param localFilesRoot where Label Studio local-files URLs ({@code /data/local-files/?d=...}) are resolved
     */
    public record Options(String imageField, Path localFilesRoot, Downloader downloader) { }

    private TaskExport() { }

    /** The tasks of an export as items; a file that is not an export, or has no tasks, is a {@link CliFailure}. */
    public static List<Item> items(Path export, Options o) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(export.toFile());
        } catch (JsonProcessingException e) {
            throw new CliFailure(export + " is neither a folder nor a Label Studio tasks export (not JSON: "
                    + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CliFailure("cannot read " + export + ": " + Main.describe(e));
        }
        if (root == null || !root.isArray()) {
            throw new CliFailure(export + " is not a Label Studio tasks export (expected a JSON array of tasks)");
        }
        if (root.isEmpty()) throw new CliFailure("the export " + export + " has no tasks");
        Path base = export.toAbsolutePath().getParent();
        Path localRoot = o.localFilesRoot() != null ? o.localFilesRoot() : base;
        List<Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (JsonNode task : root) {
            index++;
            JsonNode id = task.get("id");
            String name = id != null && (id.isTextual() || id.isNumber()) ? id.asText() : "#" + index;
            if (!seen.add(name)) throw new CliFailure("the export " + export + " has task id " + name + " twice");
            String source;
            try {
                source = imageOf(task, o.imageField());
            } catch (IOException e) {
                items.add(failing(name, e.getMessage()));
                continue;
            }
            items.add(new Item(name, () -> read(source, base, localRoot, o.downloader())));
        }
        return items;
    }

    private static Item failing(String name, String message) {
        return new Item(name, () -> {
            throw new IOException(message);
        });
    }

    static String imageOf(JsonNode task, String field) throws IOException {
        JsonNode data = task.get("data");
        if (data == null || !data.isObject()) throw new IOException("task has no \"data\" object");
        if (field != null) {
            JsonNode v = data.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new IOException("task has no image: data has no text field \"" + field + "\"");
            }
            return v.asText();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            JsonNode v = it.next().getValue();
            if (v.isTextual() && looksLikeImage(v.asText())) return v.asText();
        }
        throw new IOException("task has no image: no field of data looks like an image URL or path");
    }

    static boolean looksLikeImage(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("http://") || v.startsWith("https://") || v.startsWith("file:")
                || v.startsWith(LOCAL_FILES) || v.startsWith("/data/upload/")) {
            return true;
        }
        int q = v.indexOf('?');
        return IMAGE_EXTENSION.matcher(q < 0 ? v : v.substring(0, q)).matches();
    }

    static byte[] read(String source, Path base, Path localRoot, Downloader downloader) throws IOException {
        String s = source.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) return downloader.get(s);
        if (lower.startsWith("file:")) {
            Path p;
            try {
                p = Path.of(URI.create(s));
            } catch (IllegalArgumentException e) {
                throw new IOException("not a valid file URL: " + s);
            }
            return readFile(p);
        }
        if (s.startsWith(LOCAL_FILES)) return readFile(localRoot.resolve(localFilesPath(s)));
        return readFile(base.resolve(s));
    }

    /** The {@code d} parameter of a local-files URL: a path relative to the local-files root. */
    static String localFilesPath(String url) throws IOException {
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

    private static byte[] readFile(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file " + p);
        } catch (AccessDeniedException e) {
            throw new IOException("permission denied reading " + p);
        }
    }
}
