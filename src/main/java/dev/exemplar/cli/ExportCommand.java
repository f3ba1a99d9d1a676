package dev.exemplar.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.exemplar.backend.ImportFields;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.SummarySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code exemplar export RESULT --format csv|labelstudio|subset --to PATH}: a result in the form another tool reads. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Writes a result as CSV files, as a Label Studio import file with Exemplar's rank and role on each task, "
                + "or as a folder holding the summary's images (or an analysis's reduced set).")
final class ExportCommand implements Callable<Integer> {
    /** What export writes. */
    enum Format {
        CSV, LABELSTUDIO, SUBSET;

        static Format of(String text) {
            for (Format f : values()) if (f.name().equalsIgnoreCase(text.strip())) return f;
            throw new CliFailure("unknown --format " + text + ": expected csv, labelstudio or subset");
        }
    }

    static final String TASKS_FILE = "tasks.json";

    @Parameters(index = "0", paramLabel = "RESULT", description = "the result file of summarize (or, for subset, the analysis file of analyze)")
    Path result;

    @Option(names = "--format", required = true, paramLabel = "csv|labelstudio|subset",
            description = "csv: order.csv, links.csv and duplicates.csv in the folder --to; labelstudio: a tasks file to import; "
                    + "subset: the summary's images in the folder --to")
    String format;

    @Option(names = "--to", required = true, paramLabel = "PATH",
            description = "the folder to write into (labelstudio: a .json file, or a folder for " + TASKS_FILE + ")")
    Path to;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "the folder of images or the Label Studio tasks export the result was made from (required for subset)")
    Path source;

    @Option(names = "--mode", paramLabel = "copy|hardlink|symlink",
            description = "subset: how images get into the folder (default: copy)")
    String mode;

    @Option(names = "--size", paramLabel = "N|P%",
            description = "subset: how many images, a count or a percentage of the order (default: the result's summary size)")
    String size;

    @Option(names = "--image-field", paramLabel = "NAME",
            description = "labelstudio: the data field of the image (default: " + ImportFile.DEFAULT_IMAGE_FIELD
                    + ", or for a tasks export the first field that looks like an image)")
    String imageField;

    @Option(names = "--local-files-root", paramLabel = "DIR",
            description = "labelstudio: Label Studio's LOCAL_FILES_DOCUMENT_ROOT, which the folder --source is in "
                    + "(default: the folder itself is the root)")
    Path localFilesRoot;

    @Option(names = "--force", description = "write into a folder that is not empty and over files of the same names")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Format f = Format.of(format);
        checkOptionsApply(f);
        SubsetExport.Mode m = mode == null ? SubsetExport.Mode.COPY : SubsetExport.Mode.of(mode);
        ExportInput input = ExportInput.read(result);
        if (input.kind() == ExportInput.Kind.ANALYSIS && f != Format.SUBSET) {
            throw new CliFailure("RESULT " + result + " is an analysis file: only --format subset (its reduced set) reads one");
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (f) {
            case CSV -> csv(input.result(), out);
            case LABELSTUDIO -> labelStudio(input.result(), out);
            case SUBSET -> subset(input, m, out);
        }
        out.flush();
        return 0;
    }

    /** An option of another format is refused, so that it is not taken for having done something. */
    private void checkOptionsApply(Format f) {
        if (f != Format.SUBSET && (mode != null || size != null)) {
            throw new CliFailure((mode != null ? "--mode" : "--size") + " applies to --format subset only");
        }
        if (f != Format.LABELSTUDIO && (imageField != null || localFilesRoot != null)) {
            throw new CliFailure((imageField != null ? "--image-field" : "--local-files-root") + " applies to --format labelstudio only");
        }
    }

    private void csv(Result r, PrintWriter out) {
        OutputChecks.usableFolder(to, "--to");
        for (String name : CsvExport.FILES) {
            if (!force && Files.exists(to.resolve(name))) throw new CliFailure("--to " + to + " already has " + name + "; give another folder, or --force to replace it");
        }
        CommandSupport.writeFile(to, folder -> CsvExport.write(r, folder));
        out.printf(Locale.ROOT, "Wrote %s, %s and %s to %s (%,d items, %,d links, %,d duplicate groups)%n", CsvExport.ORDER, CsvExport.LINKS,
                CsvExport.DUPLICATES, to, r.order().size(), r.links().values().stream().mapToInt(List::size).sum(), r.duplicates().size());
    }

    private void labelStudio(Result r, PrintWriter out) {
        boolean intoFolder = Files.isDirectory(to) || !to.toString().toLowerCase(Locale.ROOT).endsWith(".json");
        Path file = intoFolder ? to.resolve(TASKS_FILE) : to;
        if (intoFolder) OutputChecks.usableFolder(to, "--to");
        OutputChecks.writableFile(file, "--to");
        if (!force && Files.exists(file)) throw new CliFailure("--to " + file + " already exists; give another file, or --force to replace it");
        ArrayNode tasks;
        if (source == null || Files.isDirectory(source)) {
            tasks = ImportFile.fromNames(r, imageField == null ? ImportFile.DEFAULT_IMAGE_FIELD : imageField, source, localFilesRoot);
        } else if (Files.isRegularFile(source)) {
            if (localFilesRoot != null) throw new CliFailure("--local-files-root applies to a folder --source; a tasks export keeps its images as they are");
            tasks = ImportFile.fromExport(r, source, imageField);
        } else {
            throw new CliFailure("--source " + source + " does not exist; give the folder or tasks export the result was made from");
        }
        CommandSupport.writeFile(file, path -> ImportFile.write(tasks, path));
        out.printf(Locale.ROOT, "Wrote %s: %,d tasks, %,d delegates first by %s (import it into a Label Studio project)%n",
                file, tasks.size(), r.summarySize(), ImportFields.RANK);
    }

    private void subset(ExportInput input, SubsetExport.Mode m, PrintWriter out) throws IOException {
        if (source == null) throw new CliFailure("--format subset needs --source, the folder of images the result was made from");
        if (!Files.isDirectory(source)) {
            throw new CliFailure("--source " + source + (Files.exists(source) ? " is not a folder" : " does not exist")
                    + "; subset copies from the folder of images the result was made from");
        }
        List<String> items;
        int count;
        if (input.kind() == ExportInput.Kind.ANALYSIS) {
            if (size != null) throw new CliFailure("--size applies to a result's order; an analysis's reduced set is written whole");
            items = input.analysis().reducedSet();
            count = items.size();
        } else {
            items = input.result().order();
            count = size == null ? input.result().summarySize() : size(items.size());
        }
        // a wrong folder would skip every image one by one: said once, before anything is written
        if (count > 0 && items.stream().noneMatch(n -> SubsetExport.plainRelative(n) && Files.exists(source.resolve(n)))) {
            throw new CliFailure("--source " + source + " has none of the result's images; give the folder the result was made from");
        }
        OutputChecks.usableFolder(to, "--to");
        if (!force && !empty(to)) throw new CliFailure("--to " + to + " is not empty; give an empty or new folder, or --force to add to it");
        SubsetExport.Outcome o = SubsetExport.write(items, count, source, to, m);
        PrintWriter err = spec.commandLine().getErr();
        for (SubsetExport.Skipped s : o.skipped()) err.printf("warning: skipped %s: %s%n", s.item(), s.why());
        err.flush();
        out.printf(Locale.ROOT, "Wrote %,d of %,d images to %s (%s)%s%n", o.written().size(), count, to, m.name().toLowerCase(Locale.ROOT),
                o.skipped().isEmpty() ? "" : String.format(Locale.ROOT, ", %,d skipped", o.skipped().size()));
    }

    private int size(int n) {
        try {
            if (!size.strip().equalsIgnoreCase("auto")) return SummarySize.parse(size, n, new double[0]).size();
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CliFailure("bad --size " + size + ": expected a count N or a percentage P%");
    }

    private static boolean empty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
