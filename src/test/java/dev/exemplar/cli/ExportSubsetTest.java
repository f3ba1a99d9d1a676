package dev.exemplar.cli;

import dev.exemplar.json.Json;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar export RESULT --format subset}: the first images of the order, as files under their own paths. */
class ExportSubsetTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Path resultFile;
    static Result result;

    @BeforeAll
    static void summarise() throws IOException {
        // a sub-folder, so that relative paths are seen to be kept
        images = ExportFixtures.sampleCopy(tmp.resolve("images"));
        Files.createDirectories(images.resolve("kitchen"));
        try (Stream<Path> files = Files.list(images)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().limit(12).toList()) Files.move(p, images.resolve("kitchen").resolve(p.getFileName()));
        }
        resultFile = tmp.resolve("result.json");
        result = ExportFixtures.summarize(images, resultFile);
    }

    /** Every file below the folder, by relative path with '/'. */
    static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    @Test
    void copyHoldsExactlyTheSummaryWithItsRelativePathsAndBytes(@TempDir Path out) throws IOException {
        Path to = out.resolve("summary");
        CliFixtures.Outcome o = run("export", resultFile.toString(), "--format", "subset", "--source", images.toString(), "--to", to.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        List<String> summary = result.order().subList(0, result.summarySize());
        assertThat(summary).anyMatch(n -> n.startsWith("kitchen/"));
        assertThat(files(to)).containsExactlyElementsOf(sorted(summary));
        for (String name : summary) {
            assertThat(Files.isSymbolicLink(to.resolve(name))).isFalse();
            assertThat(Files.readAllBytes(to.resolve(name))).as(name).isEqualTo(Files.readAllBytes(images.resolve(name)));
        }
        assertThat(o.out()).contains("Wrote " + summary.size() + " of " + summary.size() + " images");
    }

    @Test
    void hardLinksAreTheSourceFilesThemselves(@TempDir Path out) throws IOException {
        CliFixtures.Outcome o = run("export", resultFile.toString(), "--format", "subset", "--source", images.toString(),
                "--to", out.toString(), "--mode", "hardlink", "--size", "5");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(files(out)).containsExactlyElementsOf(sorted(result.order().subList(0, 5)));
        for (String name : result.order().subList(0, 5)) {
            assertThat(Files.isSymbolicLink(out.resolve(name))).isFalse();
            assertThat(Files.isSameFile(out.resolve(name), images.resolve(name))).as(name).isTrue();
            assertThat((int) Files.getAttribute(out.resolve(name), "unix:nlink")).isEqualTo(2);
        }
    }

    @Test
    void symbolicLinksPointAtTheSourceFiles(@TempDir Path out) throws IOException {
        CliFixtures.Outcome o = run("export", resultFile.toString(), "--format", "subset", "--source", images.toString(),
                "--to", out.toString(), "--mode", "symlink", "--size", "25%");

        assertThat(o.code()).as(o.err()).isZero();
        List<String> first = result.order().subList(0, 9); // 25% of 36
        assertThat(files(out)).containsExactlyElementsOf(sorted(first));
        for (String name : first) {
            assertThat(Files.isSymbolicLink(out.resolve(name))).as(name).isTrue();
            assertThat(Files.readSymbolicLink(out.resolve(name))).isEqualTo(images.resolve(name).toRealPath());
        }
    }

    @Test
    void aMissingImageIsReportedAndTheNextReadableOneTakesItsPlace(@TempDir Path out) throws IOException {
        Path source = out.resolve("source"), to = out.resolve("summary");
        copyTree(images, source);
        String missing = result.order().get(1), folder = result.order().get(2);
        Files.delete(source.resolve(missing));
        Files.delete(source.resolve(folder));
        Files.createDirectories(source.resolve(folder)); // a folder where the image was

        CliFixtures.Outcome o = run("export", resultFile.toString(), "--format", "subset", "--source", source.toString(),
                "--to", to.toString(), "--size", "6");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err().lines().toList()).containsExactly(
                "warning: skipped " + missing + ": missing from the source folder",
                "warning: skipped " + folder + ": not a regular file in the source folder");
        List<String> expected = new ArrayList<>(result.order().subList(0, 8));
        expected.removeAll(List.of(missing, folder));
        assertThat(files(to)).containsExactlyElementsOf(sorted(expected));
        assertThat(o.out()).contains("Wrote 6 of 6 images", "2 skipped");
    }

    @Test
    void namesLeadingOutOfEitherFolderAreNeverWritten(@TempDir Path out) throws IOException {
        Path source = out.resolve("a/source"), to = out.resolve("a/subset");
        Files.createDirectories(source);
        Files.writeString(out.resolve("a/secret.jpg"), "outside the source");
        Files.writeString(source.resolve("ok.jpg"), "inside");
        Path hostile = out.resolve("hostile.json");
        Json.MAPPER.writeValue(hostile.toFile(), new Result(List.of("../secret.jpg", "/etc/hostname", "x/../../escaped.jpg", "ok.jpg"), 4,
                Map.of(), List.of(), List.of()));

        CliFixtures.Outcome o = run("export", hostile.toString(), "--format", "subset", "--source", source.toString(), "--to", to.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err().lines().toList()).containsExactly(
                "warning: skipped ../secret.jpg: the name leads outside the folder; not written",
                "warning: skipped /etc/hostname: the name leads outside the folder; not written",
                "warning: skipped x/../../escaped.jpg: the name leads outside the folder; not written");
        assertThat(files(to)).containsExactly("ok.jpg");
        assertThat(files(out)).containsExactlyInAnyOrder("a/secret.jpg", "a/source/ok.jpg", "a/subset/ok.jpg", "hostile.json");
    }

    @Test
    void aTargetFolderLinkedElsewhereIsNotWrittenThroughWithForce(@TempDir Path out) throws IOException {
        Path to = out.resolve("subset"), elsewhere = out.resolve("elsewhere");
        Files.createDirectories(to);
        Files.createDirectories(elsewhere);
        Files.createSymbolicLink(to.resolve("kitchen"), elsewhere);
        String inKitchen = result.order().stream().filter(n -> n.startsWith("kitchen/")).findFirst().orElseThrow();

        CliFixtures.Outcome o = run("export", resultFile.toString(), "--format", "subset", "--source", images.toString(),
                "--to", to.toString(), "--size", "100%", "--force");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("warning: skipped " + inKitchen + ": its folder in the target leads outside it; not written");
        assertThat(files(elsewhere)).isEmpty();
    }

    @Test
    void anAnalysisWritesItsReducedSet(@TempDir Path out) throws IOException {
        Path analysis = out.resolve("analysis.json"), to = out.resolve("reduced");
        CliFixtures.Outcome a = run("analyze", images.toString(), "--out", analysis.toString());
        assertThat(a.code()).as(a.err()).isZero();
        List<String> reduced = dev.exemplar.analysis.AnalysisFile.read(analysis).reducedSet();
        assertThat(reduced).isNotEmpty().hasSizeLessThan(result.order().size());

        CliFixtures.Outcome o = run("export", analysis.toString(), "--format", "subset", "--source", images.toString(), "--to", to.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(files(to)).containsExactlyElementsOf(sorted(reduced));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path copy = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(copy); else Files.copy(p, copy);
            }
        }
    }
}
