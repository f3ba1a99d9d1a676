package dev.exemplar.cli;

import dev.exemplar.json.Json;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** What export cannot do is said in one line starting {@code error:}, naming the file and the fix, with exit code 2. */
class ExportFailuresTest {
    @TempDir
    Path tmp;
    Path result, images;

    @BeforeEach
    void aResultAndItsFolder() throws IOException {
        images = tmp.resolve("images");
        CliFixtures.goodImages(images, 2);
        result = tmp.resolve("result.json");
        new Result(List.of("img00.jpg", "img01.jpg"), 1, Map.of("img01.jpg", List.of(new Result.Link("img00.jpg", 1.0))),
                List.of(), List.of()).write(result);
    }

    static void failsInOneLine(CliFixtures.Outcome o, String... saying) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err().lines().toList()).hasSize(1);
        assertThat(o.err()).startsWith("error: ").contains(saying);
    }

    @Test
    void aMissingResult() {
        Path missing = tmp.resolve("nothing.json");
        failsInOneLine(run("export", missing.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString()),
                "RESULT " + missing + " does not exist", "summarize --out");
    }

    @Test
    void aFileThatIsNotJson() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a result\n");
        failsInOneLine(run("export", text.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString()),
                "RESULT " + text + " is not a result file (not JSON");
    }

    @Test
    void jsonThatIsNeitherAResultNorAnAnalysis() throws IOException {
        Path other = Files.writeString(tmp.resolve("tasks.json"), "[{\"id\": 1, \"data\": {}}]");
        failsInOneLine(run("export", other.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString()),
                "RESULT " + other + " is not a result file (it has neither an order nor a reduced set)");
    }

    @Test
    void aPartialResult() throws IOException {
        Path partial = tmp.resolve("partial.json");
        new Result(List.of("img00.jpg"), 0, Map.of(), List.of(), List.of(), true, "the heap was exhausted during features").write(partial);
        failsInOneLine(run("export", partial.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString()),
                "RESULT " + partial + " is a partial result", "run summarize again");
    }

    @Test
    void anUnknownFormat() {
        failsInOneLine(run("export", result.toString(), "--format", "xml", "--to", tmp.resolve("out").toString()),
                "unknown --format xml: expected csv, labelstudio or subset");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void anUnknownMode() {
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--source", images.toString(), "--to",
                tmp.resolve("out").toString(), "--mode", "move"), "unknown --mode move: expected copy, hardlink or symlink");
    }

    @Test
    void aSubsetWithoutSource() {
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--to", tmp.resolve("out").toString()),
                "--format subset needs --source");
    }

    @Test
    void aSubsetFromAFolderWithNoneOfTheImages() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--source", other.toString(), "--to", tmp.resolve("out").toString()),
                "--source " + other + " has none of the result's images", "give the folder the result was made from");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aSubsetIntoAFolderThatIsNotEmpty() throws IOException {
        Path to = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(to.resolve("mine.txt"), "keep me");
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--source", images.toString(), "--to", to.toString()),
                "--to " + to + " is not empty", "--force");
        assertThat(to.resolve("img00.jpg")).doesNotExist();

        CliFixtures.Outcome forced = run("export", result.toString(), "--format", "subset", "--source", images.toString(), "--to", to.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(to.resolve("img00.jpg")).exists();
        assertThat(to.resolve("mine.txt")).hasContent("keep me");
    }

    @Test
    void csvOverAnEarlierExport() throws IOException {
        Path to = Files.createDirectories(tmp.resolve("csv"));
        Files.writeString(to.resolve("order.csv"), "mine");
        failsInOneLine(run("export", result.toString(), "--format", "csv", "--to", to.toString()),
                "--to " + to + " already has order.csv", "--force");
        assertThat(to.resolve("order.csv")).hasContent("mine");
    }

    @Test
    void aLabelStudioFileOverAnExistingOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("import.json"), "[]");
        failsInOneLine(run("export", result.toString(), "--format", "labelstudio", "--to", file.toString()),
                "--to " + file + " already exists", "--force");
    }

    @Test
    void aLabelStudioFileFromAFolderTheResultWasNotMadeFrom() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        failsInOneLine(run("export", result.toString(), "--format", "labelstudio", "--source", other.toString(), "--to", tmp.resolve("t.json").toString()),
                "--source " + other + " has no file img00.jpg of the result", "give the folder the result was made from");
    }

    @Test
    void anAnalysisAsCsv() throws IOException {
        Path analysis = tmp.resolve("analysis.json");
        Files.writeString(analysis, Json.MAPPER.createObjectNode().put("method", "wavelet").set("reduced_set",
                Json.MAPPER.createArrayNode().add("img00.jpg")).toString());
        failsInOneLine(run("export", analysis.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString()),
                "RESULT " + analysis + " is an analysis file: only --format subset");
    }

    @Test
    void anOptionOfAnotherFormat() {
        failsInOneLine(run("export", result.toString(), "--format", "csv", "--to", tmp.resolve("csv").toString(), "--mode", "symlink"),
                "--mode applies to --format subset only");
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--source", images.toString(), "--to",
                tmp.resolve("out").toString(), "--image-field", "photo"), "--image-field applies to --format labelstudio only");
    }

    @Test
    void aSizeThatIsNotOne() {
        failsInOneLine(run("export", result.toString(), "--format", "subset", "--source", images.toString(), "--to",
                tmp.resolve("out").toString(), "--size", "auto"), "bad --size auto: expected a count N or a percentage P%");
    }
}
