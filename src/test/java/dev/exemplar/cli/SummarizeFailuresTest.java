package dev.exemplar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** When the command cannot run: exit code 2, one line on stderr, no stack trace, and no long work first. */
class SummarizeFailuresTest {
    @TempDir
    Path tmp;

    private Path folderWithOneImage() throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        Files.write(dir.resolve("a.jpg"), CliFixtures.jpeg(CliFixtures.drawn(1)));
        return dir;
    }

    private static void assertCannotRun(CliFixtures.Outcome o, String message) {
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("error: " + message);
        assertThat(o.out()).isEmpty();
    }

    @Test
    void missingSource() {
        Path gone = tmp.resolve("nowhere");
        assertCannotRun(run("summarize", gone.toString(), "--out", tmp.resolve("r.json").toString()),
                "SOURCE " + gone + " does not exist");
    }

    @Test
    void folderWithoutFiles() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve(".hidden"), "not an item");
        assertCannotRun(run("summarize", empty.toString(), "--out", tmp.resolve("r.json").toString()),
                "the folder " + empty + " has no files");
    }

    @Test
    void unwritableOutIsFoundBeforeProcessing() throws IOException {
        Path data = folderWithOneImage();
        Path blocker = Files.writeString(tmp.resolve("file"), "a file, so no folder can be inside it");
        Path out = blocker.resolve("result.json");
        CliFixtures.Outcome o = run("summarize", data.toString(), "--out", out.toString());
        assertCannotRun(o, "--out " + out + ": the folder " + blocker.toAbsolutePath() + " does not exist");
        // nothing was processed: no phase was reported
        assertThat(o.err()).doesNotContain("features");
    }

    @Test
    void outThatIsAFolder() throws IOException {
        Path data = folderWithOneImage();
        assertCannotRun(run("summarize", data.toString(), "--out", tmp.toString()),
                "--out " + tmp + " is a folder, not a file");
    }

    @Test
    void badSummarySize() throws IOException {
        Path data = folderWithOneImage();
        for (String bad : new String[] {"many", "0", "0%", "150%", "-3"}) {
            assertCannotRun(run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(),
                    "--summary-size", bad), "--summary-size must be a count of items from 1 (more than there are takes them all), "
                            + "a percentage above 0% up to 100%, or auto; got " + bad);
        }
    }

    @Test
    void unreadableEmbeddings() throws IOException {
        Path data = folderWithOneImage();
        Path emb = Files.writeString(tmp.resolve("e.csv"), "a.jpg,1,2,3\nb.jpg,1,2\n");
        CliFixtures.Outcome o = run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(),
                "--embeddings", emb.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: cannot read embeddings " + emb + ": ")
                .contains("has 2 values where earlier ones have 3").doesNotContain("\tat ");
    }

    @Test
    void missingEmbeddingsFile() throws IOException {
        Path data = folderWithOneImage();
        Path emb = tmp.resolve("gone.csv");
        CliFixtures.Outcome o = run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(),
                "--embeddings", emb.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: cannot read embeddings " + emb);
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException {
        CliFixtures.Outcome o = run("summarize", folderWithOneImage().toString(), "--frobnicate");
        assertCannotRun(o, "Unknown option: '--frobnicate'; see `exemplar summarize --help`");
    }

    @Test
    void anInvalidChoiceIsOneLineListingTheValidOnes() throws IOException {
        assertCannotRun(run("summarize", folderWithOneImage().toString(), "--features", "deep"),
                "Invalid value for option '--features': expected one of [COMBINED, WAVELET, LEARNED] (case-insensitive) but was 'deep'; "
                        + "see `exemplar summarize --help`");
        assertCannotRun(run("summarize", folderWithOneImage().toString(), "--embeddings-min-match", "150"),
                "Invalid value for option '--embeddings-min-match': expected a percentage 0%..100%, got 150; see `exemplar summarize --help`");
    }

    @Test
    void helpDescribesTheAutomaticSizeAsTheDocsDo() throws IOException {
        String help = run("summarize", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("or auto (default: where the marginal gain falls below 0.5)");
        assertThat(Files.readString(Path.of("docs/command-line.md"))).contains("or `auto` (default: where the marginal gain falls below 0.5");
    }

    @Test
    void embeddingsAreJoinedWhenTheyMatch() throws IOException {
        Path data = folderWithOneImage();
        Files.write(data.resolve("b.jpg"), CliFixtures.jpeg(CliFixtures.drawn(2)));
        Path emb = Files.writeString(tmp.resolve("e.csv"), "name,x,y\na.jpg,1,0\nb.jpg,0,1\n");
        CliFixtures.Outcome o = run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(),
                "--embeddings", emb.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("Embeddings:       2 vectors read, 2 of 2 items matched");
    }

    @Test
    void embeddingsThatNameNoItemAreRefusedWithNamesOfBothSides() throws IOException {
        Path data = folderWithOneImage();
        Files.write(data.resolve("b.jpg"), CliFixtures.jpeg(CliFixtures.drawn(2)));
        Path emb = Files.writeString(tmp.resolve("e.csv"), "images/a.jpg,1,0\nimages/b.jpg,0,1\n");
        assertCannotRun(run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(), "--embeddings", emb.toString()),
                "0 of 2 items have a vector in --embeddings, fewer than --embeddings-min-match 50%; "
                        + "items are named like a.jpg, b.jpg; the file names images/a.jpg, images/b.jpg");
    }

    @Test
    void embeddingsThatMissSomeItemsWarnAndRun() throws IOException {
        Path data = folderWithOneImage();
        Files.write(data.resolve("b.jpg"), CliFixtures.jpeg(CliFixtures.drawn(2)));
        Files.write(data.resolve("c.jpg"), CliFixtures.jpeg(CliFixtures.drawn(3)));
        Path emb = Files.writeString(tmp.resolve("e.csv"), "a.jpg,1,0\nb.jpg,0,1\nsub/c.jpg,1,1\n");
        CliFixtures.Outcome o = run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(), "--embeddings", emb.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("warning: 2 of 3 items have a vector in --embeddings; the other 1 are compared by their "
                + "descriptors only; items are named like c.jpg; the file names sub/c.jpg");
        // with the share required above what matches, the same file is refused
        assertThat(run("summarize", data.toString(), "--out", tmp.resolve("r.json").toString(), "--embeddings", emb.toString(),
                "--embeddings-min-match", "100%").err()).startsWith("error: 2 of 3 items have a vector in --embeddings, fewer than --embeddings-min-match 100%");
    }

    /** The last line on stderr, after the progress lines. */
    private static String lastLine(String err) {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }

    private Path folderOfNonImages() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(dir.resolve("a.txt"), "not an image");
        Files.writeString(dir.resolve("b.txt"), "nor this");
        return dir;
    }

    @Test
    void aFolderOfNoImageFailsInEachCommand() throws IOException {
        Path dir = folderOfNonImages();
        Path labels = Files.writeString(tmp.resolve("labels.csv"), "a.txt,x\nb.txt,y\n");
        for (String[] args : new String[][] {
                {"summarize", dir.toString(), "--out", tmp.resolve("r.json").toString()},
                {"analyze", dir.toString(), "--out", tmp.resolve("a.json").toString()},
                {"simulate", dir.toString(), "--labels", labels.toString()}}) {
            CliFixtures.Outcome o = run(args);
            assertThat(o.code()).as(args[0] + ": " + o.err()).isEqualTo(2);
            assertThat(lastLine(o.err())).as(args[0]).startsWith("error: no item of notes could be read (2 of 2 with errors, e.g. a.txt: ");
            assertThat(o.err()).as(args[0]).containsOnlyOnce("error: ");
            assertThat(o.out()).as(args[0]).isEmpty();
        }
        assertThat(tmp.resolve("r.json")).doesNotExist();
    }

    @Test
    void anExportWhoseLocalFilesDoNotResolveHintsAtTheRoot() throws IOException {
        Path export = Files.writeString(tmp.resolve("tasks.json"),
                "[{\"id\": 1, \"data\": {\"image\": \"/data/local-files/?d=photos/a.jpg\"}},"
                        + " {\"id\": 2, \"data\": {\"image\": \"/data/local-files/?d=photos/b.jpg\"}}]");
        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", tmp.resolve("r.json").toString());
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(lastLine(o.err())).startsWith("error: no item of tasks.json could be read (2 of 2 with errors, e.g. 1: ")
                .contains("no such file").endsWith("; /data/local-files/?d=PATH is read from PATH under --local-files-root (default: the export's folder)");
    }

    @Test
    void anExportWithoutAnImageFieldHintsAtTheOption() throws IOException {
        Path export = Files.writeString(tmp.resolve("tasks.json"),
                "[{\"id\": 1, \"data\": {\"picture_id\": \"abc\"}}, {\"id\": 2, \"data\": {\"picture_id\": \"def\"}}]");
        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", tmp.resolve("r.json").toString());
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(lastLine(o.err())).isEqualTo("error: no item of tasks.json could be read (2 of 2 with errors, e.g. 1: cannot read: task has no "
                + "image: no field of data looks like an image URL or path); name the data field holding the image with --image-field");
    }
}
