package dev.exemplar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.backend.ImportFields;
import dev.exemplar.json.Json;
import dev.exemplar.json.TaskPictures;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Label Studio import file ({@code [{"data": {...}}, ...]}) whose tasks carry the rank and role a sync of the same
 * result writes. {@code exemplar_delegates} cannot hold task ids, which exist only once imported: it lists the
 * delegates' images as the image field of their tasks in the same file holds them.
 */
final class ImportFile {
    static final String DEFAULT_IMAGE_FIELD = "image";
    static final String LOCAL_FILES = "/data/local-files/?d=";

    private ImportFile() { }

    /**
     * One task per item of the order, its image a local-files URL: the item's path below {@code localFilesRoot} (Label
     * Studio's document root) when given, else the item's name, which is its path below the folder summarized.
     */
    static ArrayNode fromNames(Result r, String imageField, Path folder, Path localFilesRoot) {
        String prefix = prefix(folder, localFilesRoot);
        Map<String, String> image = new HashMap<>();
        for (String item : r.order()) {
            if (folder != null && !Files.isRegularFile(folder.resolve(item))) {
                throw new CliFailure("--source " + folder + " has no file " + item + " of the result; give the folder the result was made from");
            }
            image.put(item, localFilesUrl(prefix + item));
        }
        Map<String, ImportFields.Fields> fields = ImportFields.of(r);
        ArrayNode tasks = Json.MAPPER.createArrayNode();
        for (String item : r.order()) {
            ObjectNode data = tasks.addObject().putObject("data");
            data.put(imageField, image.get(item));
            addFields(data, fields.get(item), r.links().getOrDefault(item, List.of()), image);
        }
        return tasks;
    }

    /**
     * Every task of a tasks export with all its data, those of the order with Exemplar's fields; the result's items
     * are the export's task ids, as summarize names them.
     */
    static ArrayNode fromExport(Result r, Path export, String imageField) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(export.toFile());
        } catch (JsonProcessingException e) {
            throw new CliFailure("--source " + export + " is neither a folder nor a Label Studio tasks export (not JSON: " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CliFailure("cannot read --source " + export + ": " + Main.describe(e));
        }
        if (root == null || !root.isArray()) {
            throw new CliFailure("--source " + export + " is not a Label Studio tasks export (expected a JSON array of tasks)");
        }
        Map<String, ObjectNode> dataById = new HashMap<>();
        Map<String, String> image = new HashMap<>();
        for (JsonNode task : root) {
            if (!task.path("data").isObject() || !task.path("id").isValueNode()) continue;
            String id = task.get("id").asText();
            dataById.put(id, (ObjectNode) task.get("data"));
            try {
                image.put(id, TaskPictures.of(task, imageField));
            } catch (IOException e) {
                // a task without a picture was an error of the result, and no item links to it
            }
        }
        for (String item : r.order()) {
            if (!dataById.containsKey(item)) {
                throw new CliFailure("--source " + export + " has no task " + item + " of the result; give the export the result was made from");
            }
        }
        Map<String, ImportFields.Fields> fields = ImportFields.of(r);
        ArrayNode tasks = Json.MAPPER.createArrayNode();
        for (JsonNode task : root) {
            if (!task.path("data").isObject()) continue;
            ObjectNode data = tasks.addObject().putObject("data");
            data.setAll(((ObjectNode) task.get("data")).deepCopy());
            // what an earlier sync wrote belongs to that project's tasks and order
            data.remove(List.of(ImportFields.RANK, ImportFields.ROLE, ImportFields.DELEGATES, ImportFields.ANNOTATOR));
            String id = task.path("id").asText();
            if (fields.containsKey(id)) addFields(data, fields.get(id), r.links().getOrDefault(id, List.of()), image);
        }
        return tasks;
    }

    static void write(ArrayNode tasks, Path file) throws IOException {
        Json.PRETTY.writeValue(file.toFile(), tasks);
    }

    private static void addFields(ObjectNode data, ImportFields.Fields f, List<Result.Link> links, Map<String, String> image) {
        data.put(ImportFields.RANK, f.rank());
        data.put(ImportFields.ROLE, f.role());
        ArrayNode delegates = data.putArray(ImportFields.DELEGATES);
        for (Result.Link l : links) delegates.add(image.getOrDefault(l.delegate(), l.delegate()));
    }

    /** The folder's path below the document root, with '/' and a trailing one; empty without either. */
    private static String prefix(Path folder, Path localFilesRoot) {
        if (localFilesRoot == null) return "";
        if (folder == null) throw new CliFailure("--local-files-root needs --source, the folder summarized, to tell where its images are below it");
        Path root = localFilesRoot.toAbsolutePath().normalize(), dir = folder.toAbsolutePath().normalize();
        if (!dir.startsWith(root)) {
            throw new CliFailure("--source " + folder + " is not below --local-files-root " + localFilesRoot
                    + "; Label Studio serves only files below its document root (LOCAL_FILES_DOCUMENT_ROOT)");
        }
        String rel = root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
        return rel.isEmpty() ? "" : rel + "/";
    }

    /** As Label Studio writes them: the path percent-encoded, its slashes kept. */
    static String localFilesUrl(String path) {
        return LOCAL_FILES + URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
