package dev.exemplar.cli;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.learned.LearnedFeatures;
import dev.exemplar.features.learned.MissingWeights;
import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.report.ThumbnailSource;
import dev.exemplar.summary.FeatureMethod;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What summarize and analyze do alike: check their outputs, read the embeddings, show item errors, write the result file and the report. */
final class CommandSupport {
    /** Item errors listed on the console; the rest are counted. */
    static final int SHOWN_ERRORS = 5;
    /** The side of a report's thumbnails, in pixels. */
    static final int REPORT_THUMBNAIL = 160;

    /** A write that may fail. */
    interface Write {
        void to(Path path) throws IOException;
    }

    private CommandSupport() { }

    /** Fails, before any work, when --out cannot be written or --report (if given) cannot hold a report. */
    static void checkOutputs(Path out, Path report) {
        OutputChecks.writableFile(out, "--out");
        if (report != null) OutputChecks.usableFolder(report, "--report");
    }

    /** The vectors of --embeddings, or none without the option. */
    static Map<String, float[]> embeddings(Path file) {
        if (file == null) return Map.of();
        try {
            return Embeddings.read(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read embeddings " + file + ": " + Main.describe(e), e);
        }
    }

    /** Checks, before the long work, that the network of the learned features is where the build put it, if they are asked for. */
    static void checkFeatures(FeatureMethod features) {
        if (features != FeatureMethod.LEARNED) return;
        try {
            LearnedFeatures.load(LearnedFeatures.defaultDirectory());
        } catch (MissingWeights e) {
            throw new CliFailure("--features learned: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliFailure("--features learned: cannot read the network: " + Main.describe(e), e);
        }
    }

    /** The report's pictures of the items, loaded when shown; an unreadable one is a placeholder. */
    static ThumbnailSource thumbnails(List<Item> items, ImageLoader loader) {
        Map<String, Item> byName = new HashMap<>();
        for (Item it : items) byName.put(it.name(), it);
        return name -> {
            Item it = byName.get(name);
            if (it == null) return null;
            try {
                return Thumbnails.rgb(loader.load(it.reader().read(), name), REPORT_THUMBNAIL);
            } catch (ImageError e) {
                return null; // the report shows a placeholder, as for any item without a picture
            }
        };
    }

    /** Writes the --out file. */
    static void writeFile(Path out, Write write) {
        try {
            write.to(out);
        } catch (IOException e) {
            throw new CliFailure("cannot write " + out + ": " + Main.describeWrite(e), e);
        }
    }

    /** Writes the report into the --report folder, if there is one, and returns its page (null without one). */
    static Path writeReport(Path folder, Write write) {
        if (folder == null) return null;
        try {
            write.to(folder);
        } catch (IOException e) {
            throw new CliFailure("cannot write the report to " + folder + ": " + Main.describeWrite(e), e);
        }
        return folder.resolve("index.html");
    }

    /** The items line and the first errors; {@code file} names where the others are ("the result file"). */
    static void printItems(PrintWriter o, int read, List<Result.ItemError> errors, String file) {
        o.printf(Locale.ROOT, "Items:            %,d read, %,d of %,d with errors%n", read, errors.size(), read + errors.size());
        for (int i = 0; i < Math.min(SHOWN_ERRORS, errors.size()); i++) {
            o.printf("  %s: %s%n", errors.get(i).item(), errors.get(i).error());
        }
        if (errors.size() > SHOWN_ERRORS) {
            o.printf(Locale.ROOT, "  ... and %,d more (see %s)%n", errors.size() - SHOWN_ERRORS, file);
        }
    }

    /**
     * The one line a run stopped by exhausting the heap ends with: each image's decoding and features are bounded
     * and fail alone, so what ran out is what the run keeps of all items together.
     */
    static CliFailure outOfMemory(int items, OutOfMemoryError e) {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        return new CliFailure("the run stopped: " + items + " items need more than the " + mb
                + " MB heap; no result was written (give Java more, e.g. EXEMPLAR_JAVA_OPTS=-Xmx" + Math.max(512, 4 * mb) + "m)", e);
    }
}
