package dev.exemplar.cli;

import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code exemplar summarize FOLDER} end to end, on good images mixed with hostile files. */
class SummarizeFolderTest {
    @TempDir
    static Path tmp;
    static Path folder;
    static List<String> good = new ArrayList<>();
    static CliFixtures.Outcome outcome;
    static Result result;

    @BeforeAll
    static void summarise() throws IOException {
        folder = tmp.resolve("data");
        good.addAll(CliFixtures.goodImages(folder, 11));
        Files.createDirectories(folder.resolve("sub"));
        Files.write(folder.resolve("sub/deep.png"), CliFixtures.png(CliFixtures.drawn(99)));
        good.add("sub/deep.png");

        Files.write(folder.resolve("empty.jpg"), new byte[0]);
        byte[] whole = Files.readAllBytes(folder.resolve("img00.jpg"));
        Files.write(folder.resolve("truncated.jpg"), Arrays.copyOf(whole, whole.length * 6 / 10));
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 'Z'; // no image format starts like this
        Files.write(folder.resolve("random.jpg"), noise);
        Files.write(folder.resolve("bomb.png"), CliFixtures.pngDeclaring(100_000, 100_000));
        Files.writeString(folder.resolve("notes.txt"), "Hello, these are notes.\n");
        // hidden files and folders are not items
        Files.writeString(folder.resolve(".DS_Store"), "junk");
        Files.createDirectories(folder.resolve(".cache"));
        Files.write(folder.resolve(".cache/hidden.jpg"), whole);

        Path out = tmp.resolve("result.json");
        outcome = run("summarize", folder.toString(), "--out", out.toString());
        result = Result.read(out);
    }

    @Test
    void completesWithExitCodeZeroDespiteUnreadableFiles() {
        assertThat(outcome.code()).as(outcome.err()).isZero();
    }

    @Test
    void everyHostileFileIsAnErrorWithItsOwnMessage() {
        Map<String, String> errors = result.errors().stream()
                .collect(Collectors.toMap(Result.ItemError::item, Result.ItemError::error));
        assertThat(errors).containsOnlyKeys("empty.jpg", "truncated.jpg", "random.jpg", "bomb.png", "notes.txt");
        assertThat(errors.get("empty.jpg")).isEqualTo("empty file (0 bytes)");
        assertThat(errors.get("truncated.jpg")).startsWith("image data truncated");
        assertThat(errors.get("random.jpg")).startsWith("not an image file (starts with bytes 5a")
                .endsWith("although named .jpg");
        assertThat(errors.get("bomb.png")).contains("declares 100000 x 100000 pixels");
        assertThat(errors.get("notes.txt")).isEqualTo("not an image file: text although named .txt");
    }

    @Test
    void errorsAppearNowhereElse() {
        Set<String> bad = result.errors().stream().map(Result.ItemError::item).collect(Collectors.toSet());
        assertThat(result.order()).doesNotContainAnyElementsOf(bad);
        assertThat(result.links().keySet()).doesNotContainAnyElementsOf(bad);
        result.links().values().forEach(ls -> ls.forEach(l -> assertThat(bad).doesNotContain(l.delegate())));
        result.duplicates().forEach(g -> assertThat(g).doesNotContainAnyElementsOf(bad));
    }

    @Test
    void everyGoodImageIsInTheOrderExactlyOnceNamedByItsRelativePath() {
        assertThat(result.order()).containsExactlyInAnyOrderElementsOf(good);
        assertThat(new HashSet<>(result.order())).hasSameSizeAs(result.order());
        assertThat(result.order()).contains("sub/deep.png").noneMatch(n -> n.contains(".cache") || n.startsWith("."));
    }

    @Test
    void everyConstituentHasOneToThreeLinksToTheSummaryWithWeightsSummingToOne() {
        int k = result.summarySize();
        assertThat(k).isBetween(1, good.size());
        Map<String, Integer> rank = rankOf(result.order());
        List<String> constituents = result.order().subList(k, result.order().size());
        assertThat(result.links()).containsOnlyKeys(constituents);
        result.links().forEach((c, links) -> {
            assertThat(links).as(c).hasSizeBetween(1, 3);
            links.forEach(l -> assertThat(rank.get(l.delegate())).as(c + " -> " + l.delegate()).isLessThan(k));
            assertThat(links.stream().mapToDouble(Result.Link::weight).sum()).as(c).isCloseTo(1, within(1e-3));
        });
    }

    @Test
    void duplicateGroupsHoldTwoOrMoreReadableItems() {
        result.duplicates().forEach(g -> assertThat(g).hasSizeGreaterThanOrEqualTo(2).isSubsetOf(good));
    }

    @Test
    void printsAShortSummaryWithTheFirstErrors() {
        assertThat(outcome.out())
                .contains("Items:", "12 read, 5 of 17 with errors")
                .contains("  bomb.png: image declares 100000 x 100000 pixels")
                .contains("  empty.jpg: empty file (0 bytes)")
                .contains("Summary size:     " + result.summarySize() + " (")
                .contains("Duplicate groups:", "Constituents:", "Time:", "features")
                .contains("Result:", "result.json");
        assertThat(outcome.err()).doesNotContain("Exception");
    }

    @Test
    void givenSummarySizeIsUsedAndReportIsWritten() throws IOException {
        Path out = tmp.resolve("five.json");
        Path report = tmp.resolve("report");
        CliFixtures.Outcome o = run("summarize", folder.toString(), "--out", out.toString(),
                "--summary-size", "5", "--report", report.toString());
        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);
        assertThat(r.summarySize()).isEqualTo(5);
        assertThat(r.links()).hasSize(good.size() - 5);
        assertThat(report.resolve("index.html")).isRegularFile();
        try (Stream<Path> thumbs = Files.list(report.resolve("thumbs"))) {
            assertThat(thumbs.filter(p -> p.toString().endsWith(".jpg")).count()).isEqualTo(good.size());
        }
        assertThat(o.out()).contains("Summary size:     5 (given: 5)").contains("Report:", "index.html");
    }

    @Test
    void versionComesFromTheBuild() {
        CliFixtures.Outcome o = run("--version");
        assertThat(o.code()).isZero();
        assertThat(o.out()).startsWith("exemplar ");
    }

    private static Map<String, Integer> rankOf(List<String> order) {
        return order.stream().collect(Collectors.toMap(Function.identity(), order::indexOf));
    }
}
