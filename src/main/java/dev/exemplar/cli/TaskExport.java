package dev.exemplar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.json.Json;
import dev.exemplar.json.TaskPictures;
import dev.exemplar.summary.Item;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Items of a Label Studio tasks export (a JSON array of {@code {"id": .., "data": {..}}}), named by task id.
 * The picture is the {@code --image-field} of {@code data}, or else its first string that looks like an image
 * URL or path. A task whose picture cannot be found or fetched is an item whose reader fails with the reason,
 * so it ends up among the result's errors.
 */
public final class TaskExport {

    /**
     * @param imageField     the field of {@code data} holding the picture, or null to guess
     * @param localFilesRoot where Label Studio local-files URLs ({@code /data/local-files/?d=...}) are resolved
     * @param policy         where local paths may lead and how large a file may be (the downloader has the same)
     */
    public record Options(String imageField, Path localFilesRoot, Downloader downloader, FetchPolicy policy) { }

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
                source = TaskPictures.of(task, o.imageField());
            } catch (IOException e) {
                items.add(failing(name, e.getMessage()));
                continue;
            }
            items.add(new Item(name, () -> read(source, base, localRoot, o)));
        }
        return items;
    }

    private static Item failing(String name, String message) {
        return new Item(name, () -> {
            throw new IOException(message);
        });
    }

    /**
     * The bytes of a task's picture. http(s) goes through the downloader; every local form is confined, after
     * {@code ..}, percent-encoding and symbolic links are resolved: a relative path to the export's folder, a
     * local-files URL to the local-files root, an absolute path or a {@code file:} URL to the export's folder, the
     * local-files root or the working directory the command runs in (unless that is the file system's root).
     */
    static byte[] read(String source, Path base, Path localRoot, Options o) throws IOException {
        String s = source.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) return o.downloader().get(s);
        String baseName = "the export's folder " + base;
        String localName = o.localFilesRoot() != null ? "--local-files-root " + localRoot : baseName;
        if (s.startsWith(TaskPictures.LOCAL_FILES)) {
            String d = TaskPictures.localFilesPath(s);
            return o.policy().readFile(FetchPolicy.confine(localRoot, localRoot.resolve(d), s, localName), s);
        }
        Path p;
        if (lower.startsWith("file:")) {
            try {
                p = Path.of(URI.create(s));
            } catch (IllegalArgumentException | FileSystemNotFoundException e) {
                throw new IOException("not a valid file URL: " + s);
            }
        } else {
            try {
                p = Path.of(s);
            } catch (InvalidPathException e) {
                throw new IOException("not a valid path: " + s);
            }
        }
        if (!p.isAbsolute()) return o.policy().readFile(FetchPolicy.confine(base, base.resolve(p), s, baseName), s);
        List<Path> roots = new ArrayList<>(List.of(base));
        List<String> names = new ArrayList<>(List.of(baseName));
        if (o.localFilesRoot() != null) {
            roots.add(localRoot);
            names.add(localName);
        }
        Path cwd = Path.of("").toAbsolutePath();
        if (cwd.getParent() != null) {
            roots.add(cwd);
            names.add("the working directory " + cwd);
        }
        return o.policy().readFile(FetchPolicy.confine(roots, names, p, s), s);
    }
}
