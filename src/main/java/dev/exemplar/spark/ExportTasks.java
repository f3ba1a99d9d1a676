package dev.exemplar.spark;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.json.TaskPictures;
import dev.exemplar.summary.Item;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Label Studio tasks export as the job's input, read as {@code summarize EXPORT} reads one (tasks named by id, the
 * picture found by {@link TaskPictures}), except that every picture is read through Hadoop's file systems from below
 * {@code --local-files-root}: a local-files URL's {@code d}, a relative path, or an absolute path or URL that lies
 * there. Nothing is fetched over http. The driver streams the export and keeps only each task's name and picture path;
 * the executors read the pictures.
 */
final class ExportTasks {
    /** Larger files are refused before they are read, as by the command line's default size limit. */
    static final long MAX_BYTES = 64L << 20;

    /** A task as the executors need it: its name, and the full path of its picture or why it has none. */
    record Task(String name, String picture, String error) implements Serializable { }

    private ExportTasks() { }

    /** The export's tasks; one that is not an export, has no tasks or has an id twice is refused in one line. */
    static List<Task> read(Configuration conf, String export, String imageField, String localFilesRoot) {
        Path file = new Path(export);
        List<Task> tasks = new ArrayList<>();
        try {
            FileSystem fs = file.getFileSystem(conf);
            String root = fs.makeQualified(localFilesRoot != null ? new Path(localFilesRoot) : fs.makeQualified(file).getParent()).toString();
            Set<String> seen = new HashSet<>();
            try (InputStream in = fs.open(file); JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_ARRAY) throw notAnExport(export, "expected a JSON array of tasks");
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) throw notAnExport(export, "the array ends early");
                    JsonNode task = Json.MAPPER.readTree(p); // one task at a time: the export may be larger than the driver
                    JsonNode id = task.get("id");
                    String name = id != null && (id.isTextual() || id.isNumber()) ? id.asText() : "#" + (tasks.size() + 1);
                    if (!seen.add(name)) throw new IllegalArgumentException("the export " + export + " has task id " + name + " twice");
                    try {
                        tasks.add(new Task(name, picture(TaskPictures.of(task, imageField), root), null));
                    } catch (IOException e) {
                        tasks.add(new Task(name, null, e.getMessage()));
                    }
                }
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("--input: no such file " + export);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notAnExport(export, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + export + ": " + e.getMessage(), e);
        }
        if (tasks.isEmpty()) throw new IllegalArgumentException("the export " + export + " has no tasks");
        return tasks;
    }

    private static IllegalArgumentException notAnExport(String export, String why) {
        return new IllegalArgumentException(export + " is not a Label Studio tasks export (" + why + ")");
    }

    /**
     * The full path of a task's picture below the root, or an IOException saying why it is not read: a remote URL, or a
     * path that leads out of the root.
     */
    static String picture(String source, String root) throws IOException {
        String s = source.trim(), lower = s.toLowerCase(Locale.ROOT);
        String where = "the job reads pictures only from --local-files-root " + root;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            throw new IOException("remote pictures are not fetched: " + where + "; fetching from a URL is not supported by the job");
        }
        if (s.startsWith(TaskPictures.LOCAL_FILES)) return below(root, TaskPictures.localFilesPath(s), s, where);
        URI uri;
        try {
            uri = new Path(s).toUri();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid path: " + s);
        }
        if (uri.getScheme() == null && !uri.getPath().startsWith("/")) return below(root, uri.getPath(), s, where);
        URI r = URI.create(root);
        String path = uri.normalize().getPath();
        boolean sameFileSystem = uri.getScheme() == null || (uri.getScheme().equalsIgnoreCase(r.getScheme())
                && (uri.getAuthority() == null || uri.getAuthority().equals(r.getAuthority())));
        String prefix = r.getPath().endsWith("/") ? r.getPath() : r.getPath() + "/";
        if (!sameFileSystem || path.contains("/../") || !path.startsWith(prefix)) throw new IOException(s + " is outside --local-files-root: " + where);
        return new Path(r.getScheme(), r.getAuthority(), path).toString();
    }

    /** A relative path joined to the root, refused if any of its parts climbs out. */
    private static String below(String root, String relative, String source, String where) throws IOException {
        for (String part : relative.split("/")) {
            if (part.equals("..")) throw new IOException(source + " leads out of --local-files-root: " + where);
        }
        return new Path(root + "/" + relative).toString();
    }

    /** A partition of tasks as items whose pictures are read from their file system, and their engine features. */
    static Features.Batch batch(Iterator<Task> tasks, SerializableConfiguration conf, Map<String, float[]> embeddings) {
        List<Item> items = new ArrayList<>();
        tasks.forEachRemaining(t -> items.add(new Item(t.name(), () -> {
            if (t.error() != null) throw new IOException(t.error());
            return bytes(new Path(t.picture()), conf.value());
        })));
        return Features.of(items, embeddings);
    }

    private static byte[] bytes(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        FileStatus status;
        try {
            status = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new IOException("no such file: " + p);
        }
        if (!status.isFile()) throw new IOException("not a file: " + p);
        if (status.getLen() > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MB: " + p);
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
