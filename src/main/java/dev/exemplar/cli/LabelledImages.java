package dev.exemplar.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Label Studio and a folder of images with their true labels: what the benchmarks that drive Label Studio as a
 * labelling team does are given.
 */
final class LabelledImages {
    @Option(names = "--label-studio", required = true, description = "Label Studio's URL.")
    String url;

    @Option(names = "--key", required = true, description = "A personal access token (or a legacy token) of a Label Studio account.")
    String key;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The images, one task each.")
    Path images;

    @Option(names = "--truth", paramLabel = "CSV", description = "The true labels: file,...,<label column> (default: DIR/../truth.csv).")
    Path truthFile;

    @Option(names = "--label-column", defaultValue = "class", description = "The truth's label column (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    /** The true label of each image by file name, once the folder, the truth file and Label Studio are checked. */
    Map<String, String> truth() throws IOException {
        if (!Files.isDirectory(images)) throw new CliFailure("not a folder: " + images);
        if (!Files.isReadable(truthCsv())) throw new CliFailure("no truth file " + truthCsv() + ": give --truth");
        Map<String, String> truth = LabelStudioScenario.truth(truthCsv(), labelColumn);
        if (!LabelStudioScenario.answers(url)) throw new CliFailure("no Label Studio answers at " + url);
        return truth;
    }

    /** Stops the run before it starts unless every image of the folder has a label. */
    void checkLabelled(List<String> names, Map<String, String> truth) {
        List<String> unknown = names.stream().filter(n -> !truth.containsKey(n)).toList();
        if (!unknown.isEmpty()) throw new CliFailure(unknown.size() + " images have no label in " + truthCsv() + ", e.g. " + unknown.get(0));
    }

    private Path truthCsv() {
        return truthFile != null ? truthFile : images.toAbsolutePath().getParent().resolve("truth.csv");
    }
}
