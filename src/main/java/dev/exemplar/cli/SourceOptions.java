package dev.exemplar.cli;

import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.json.TaskPictures;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Result;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** How a SOURCE is read: a folder, or a Label Studio tasks export with these options. Shared by the commands that read one. */
final class SourceOptions {
    @Option(names = "--image-field", paramLabel = "NAME",
            description = "tasks export: the data field holding the image (default: the first that looks like one)")
    String imageField;

    @Option(names = "--local-files-root", paramLabel = "DIR",
            description = "tasks export: where /data/local-files/?d=... URLs point (default: the export's folder)")
    Path localFilesRoot;

    @Option(names = "--allow-host", paramLabel = "HOST",
            description = "tasks export: fetch http(s) images only from this host, at every redirect hop (repeatable; default: any host)")
    List<String> allowedHosts = List.of();

    @Option(names = "--max-image-bytes", paramLabel = "BYTES",
            description = "refuse, unread, image files and downloads larger than this (default: 67108864, 64 MiB)")
    long maxImageBytes = FetchPolicy.DEFAULT_MAX_BYTES;

    /** Where images may come from and how large they may be, as the options say. */
    FetchPolicy policy() {
        if (maxImageBytes < 1 || maxImageBytes > FetchPolicy.LARGEST_MAX_BYTES) {
            throw new CliFailure("--max-image-bytes must be between 1 and " + FetchPolicy.LARGEST_MAX_BYTES + ", not " + maxImageBytes);
        }
        return FetchPolicy.anyHostUnlessListed(new LinkedHashSet<>(allowedHosts), maxImageBytes);
    }

    /** What a source is: its items are named and read differently, and go wrong differently. */
    enum Kind { FOLDER, TASKS_EXPORT }

    /** The items of a source, a short name for it (its folder or file name) and what it is. */
    record Opened(List<Item> items, String label, Kind kind) {
        /**
         * Refuses a run that read no item: its result would be empty, and a script must not take that for a result.
         * The message gives the first item's error and, for a tasks export, the option that most likely fixes it.
         */
        void checkSomeRead(int read, List<Result.ItemError> errors) {
            if (read > 0 || errors.isEmpty()) return;
            Result.ItemError first = errors.get(0);
            throw new CliFailure(String.format(Locale.ROOT, "no item of %s could be read (%,d of %,d with errors, e.g. %s: %s)%s",
                    label, errors.size(), errors.size(), first.item(), first.error(), hint(errors)));
        }

        private String hint(List<Result.ItemError> errors) {
            if (kind != Kind.TASKS_EXPORT) return "";
            if (errors.stream().allMatch(e -> e.error().contains(TaskPictures.NO_IMAGE))) {
                return "; name the data field holding the image with --image-field";
            }
            if (errors.stream().anyMatch(e -> e.error().contains(FetchPolicy.NO_SUCH_FILE))) {
                return "; /data/local-files/?d=PATH is read from PATH under --local-files-root (default: the export's folder)";
            }
            return "";
        }
    }

    /** @param what how the source is named in messages ("SOURCE", "--test ...") */
    Opened open(Path source, String what) throws IOException {
        if (Files.isDirectory(source)) {
            // silently ignored, they would leave the user thinking they had an effect
            if (imageField != null) throw new CliFailure("--image-field applies only to a Label Studio tasks export; " + what + " " + source + " is a folder");
            if (localFilesRoot != null) throw new CliFailure("--local-files-root applies only to a Label Studio tasks export; " + what + " " + source + " is a folder");
            List<Item> items = FolderSource.items(source, policy());
            if (items.isEmpty()) throw new CliFailure("the folder " + source + " has no files");
            return new Opened(items, label(source), Kind.FOLDER);
        }
        if (Files.isRegularFile(source)) {
            FetchPolicy policy = policy();
            TaskExport.Options o = new TaskExport.Options(imageField, localFilesRoot,
                    new Downloader(policy, Duration.ofSeconds(30)), policy);
            return new Opened(TaskExport.items(source, o), label(source), Kind.TASKS_EXPORT);
        }
        if (!Files.exists(source)) throw new CliFailure(what + " " + source + " does not exist");
        throw new CliFailure(what + " " + source + " is neither a folder nor a Label Studio tasks export");
    }

    static String label(Path p) {
        Path name = p.toAbsolutePath().normalize().getFileName();
        return name == null ? p.toString() : name.toString();
    }
}
