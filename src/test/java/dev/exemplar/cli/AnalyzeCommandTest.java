package dev.exemplar.cli;

import dev.exemplar.analysis.AnalysisFile;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar analyze} end to end on drawn pictures in two class folders: a picture and its
 * re-encoded copy in one class (redundant), a picture in one class and its copy in the other
 * (influential), three pictures alone, and two unreadable files.
 */
class AnalyzeCommandTest {
    @TempDir
    static Path tmp;
    static Path folder;

    @BeforeAll
    static void images() throws IOException {
        folder = tmp.resolve("train");
        Files.createDirectories(folder.resolve("a"));
        Files.createDirectories(folder.resolve("b"));
        Files.write(folder.resolve("a/one.jpg"), CliFixtures.jpeg(CliFixtures.drawn(1)));
        Files.write(folder.resolve("a/one-copy.png"), CliFixtures.png(CliFixtures.drawn(1)));
        Files.write(folder.resolve("a/two.jpg"), CliFixtures.jpeg(CliFixtures.drawn(2)));
        Files.write(folder.resolve("b/two-copy.png"), CliFixtures.png(CliFixtures.drawn(2)));
        Files.write(folder.resolve("a/three.jpg"), CliFixtures.jpeg(CliFixtures.drawn(3)));
        Files.write(folder.resolve("b/four.jpg"), CliFixtures.jpeg(CliFixtures.drawn(4)));
        Files.write(folder.resolve("b/five.jpg"), CliFixtures.jpeg(CliFixtures.drawn(5)));
        Files.write(folder.resolve("a/empty.jpg"), new byte[0]);
        byte[] whole = Files.readAllBytes(folder.resolve("a/one.jpg"));
        Files.write(folder.resolve("b/truncated.jpg"), Arrays.copyOf(whole, whole.length / 2));
    }

    private static AnalysisFile analyse(String name, String... options) throws IOException {
        Path out = tmp.resolve(name + ".json");
        String[] args = new String[options.length + 4];
        args[0] = "analyze";
        args[1] = folder.toString();
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        CliFixtures.Outcome o = run(args);
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("Redundant groups:").contains("Reduced set:");
        return AnalysisFile.read(out);
    }

    @Test
    void waveletFindsTheRedundantAndTheInfluentialPairAndNamesTheUnreadableFiles() throws IOException {
        AnalysisFile f = analyse("wavelet");
        assertThat(f.method()).isEqualTo("wavelet");
        assertThat(f.figures().n()).isEqualTo(7);
        assertThat(f.figures().d()).isEqualTo(3072);
        assertThat(f.figures().m()).isPositive();
        assertThat(f.figures().conditionAfter()).isLessThanOrEqualTo(1e5);
        assertThat(f.figures().clusters()).isEqualTo(5); // five distinct pictures
        assertThat(f.figures().classes()).isEqualTo(2);
        assertThat(f.redundantGroups()).singleElement().satisfies(g -> {
            assertThat(g.items()).containsExactly("a/one-copy.png", "a/one.jpg");
            assertThat(g.classes()).containsExactly("a");
            assertThat(g.kept()).isIn("a/one-copy.png", "a/one.jpg");
        });
        assertThat(f.influentialGroups()).singleElement().satisfies(g -> {
            assertThat(g.items()).containsExactly("a/two.jpg", "b/two-copy.png");
            assertThat(g.classes()).containsExactly("a", "b");
            assertThat(g.kept()).isNull();
        });
        assertThat(f.reducedSet()).hasSize(6).contains("a/two.jpg", "b/two-copy.png", "a/three.jpg");
        Map<String, String> errors = f.errors().stream().collect(Collectors.toMap(Result.ItemError::item, Result.ItemError::error));
        assertThat(errors).containsOnlyKeys("a/empty.jpg", "b/truncated.jpg");
        assertThat(errors.get("a/empty.jpg")).isEqualTo("empty file (0 bytes)");
        assertThat(f.isolatedItems()).isNotEmpty();
        assertThat(f.figures().seconds()).containsKeys("features", "rrqr", "kmeans");
    }

    @Test
    void aLabelsFileOverridesTheFolders() throws IOException {
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, "file,label\n" + String.join("\n", List.of("a/one.jpg,x", "a/one-copy.png,x", "a/two.jpg,x",
                "\"b/two-copy.png\",x", "a/three.jpg,y", "four.jpg,y", "b/five.jpg,y")) + "\n");
        AnalysisFile f = analyse("labels", "--labels", labels.toString());
        assertThat(f.figures().classes()).isEqualTo(2);
        assertThat(f.influentialGroups()).isEmpty(); // both pairs are now one class each
        assertThat(f.redundantGroups()).extracting(AnalysisFile.Group::items)
                .containsExactlyInAnyOrder(List.of("a/one-copy.png", "a/one.jpg"), List.of("a/two.jpg", "b/two-copy.png"));
    }

    @Test
    void ssimWritesTheSimilarityFiguresAndAReport() throws IOException {
        Path report = tmp.resolve("report-ssim");
        AnalysisFile f = analyse("ssim", "--method", "ssim", "--report", report.toString());
        assertThat(f.figures().linkLevel()).isNotNull();
        assertThat(f.figures().gamma()).isEqualTo(0.4);
        assertThat(f.leastSimilarPairs()).isNotEmpty();
        assertThat(f.redundantGroups()).extracting(AnalysisFile.Group::items).contains(List.of("a/one-copy.png", "a/one.jpg"));
        assertThat(f.influentialGroups()).extracting(AnalysisFile.Group::items).contains(List.of("a/two.jpg", "b/two-copy.png"));
        assertThat(report.resolve("index.html")).exists();
        assertThat(report.resolve("heatmap.png")).exists();
    }

    @Test
    void semanticKeepsTheAskedShare() throws IOException {
        AnalysisFile f = analyse("semantic", "--method", "semantic", "--keep", "75%");
        assertThat(f.reducedSet()).hasSize(5); // 75% of 7, rounded
        assertThat(f.figures().linkage()).isEqualTo("complete");
        assertThat(f.figures().threshold()).isNotNull();
        assertThat(f.influentialGroups()).isEmpty();
    }

    @Test
    void semanticUsesTheEmbeddingsWhenGiven() throws IOException {
        // in the embedding space a/one.jpg and a/three.jpg are the same; the pictures' copies are far apart
        Path csv = tmp.resolve("vectors.csv");
        Files.writeString(csv, String.join("\n", List.of("a/one.jpg,1,0,0,0,0", "a/three.jpg,1,0,0,0.001,0", "a/one-copy.png,0,1,0,0,0",
                "a/two.jpg,0,0,1,0,0", "b/two-copy.png,0,0,0,1,0", "b/four.jpg,0,0,0,0,1")) + "\n");
        CliFixtures.Outcome o = run("analyze", folder.toString(), "--method", "semantic", "--keep", "86%", "--embeddings", csv.toString(),
                "--out", tmp.resolve("embedded.json").toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("6 vectors read, 1 items without one kept unexamined");
        AnalysisFile f = AnalysisFile.read(tmp.resolve("embedded.json"));
        assertThat(f.figures().d()).isEqualTo(5);
        assertThat(f.figures().withoutVector()).isEqualTo(1);
        assertThat(f.redundantGroups()).singleElement().extracting(AnalysisFile.Group::items).isEqualTo(List.of("a/one.jpg", "a/three.jpg"));
        assertThat(f.reducedSet()).hasSize(6).contains("b/five.jpg");
    }

    @Test
    void aTestSetIsComparedWithTheTrainingSet() throws IOException {
        Path test = tmp.resolve("test");
        Files.createDirectories(test);
        Files.write(test.resolve("copy-of-three.png"), CliFixtures.png(CliFixtures.drawn(3)));
        Files.write(test.resolve("new.jpg"), CliFixtures.jpeg(CliFixtures.drawn(42)));
        AnalysisFile f = analyse("test", "--test", test.toString());
        assertThat(f.testOverlap().testItems()).isEqualTo(2);
        assertThat(f.testOverlap().nearIdentical()).isEqualTo(1);
        assertThat(f.testOverlap().share()).isEqualTo(0.5);
        Map<String, AnalysisFile.TestItem> byItem = f.testOverlap().items().stream()
                .collect(Collectors.toMap(AnalysisFile.TestItem::item, t -> t));
        assertThat(byItem.get("copy-of-three.png").nearIdentical()).isEqualTo("a/three.jpg");
        assertThat(byItem.get("copy-of-three.png").nearest().get(0).item()).isEqualTo("a/three.jpg");
        assertThat(byItem.get("new.jpg").nearIdentical()).isNull();
        assertThat(f.isolatedTestItems()).extracting(AnalysisFile.Isolated::item).first().isEqualTo("new.jpg");
    }

    @Test
    void badOptionsFailBeforeAnyImageIsRead() {
        assertThat(run("analyze", folder.toString(), "--method", "fourier").err()).contains("bad --method fourier");
        assertThat(run("analyze", folder.toString(), "--keep", "0%").err()).contains("bad --keep 0%");
        assertThat(run("analyze", folder.toString(), "--clusters", "many").err()).contains("bad --clusters many");
        assertThat(run("analyze", folder.toString(), "--threshold", "0.5").err()).contains("--threshold does not apply to --method wavelet");
        assertThat(run("analyze", folder.toString(), "--method", "ssim", "--threshold", "3").err()).contains("an SSIM from -1 to 1");
        assertThat(run("analyze", tmp.resolve("missing").toString()).err()).contains("SOURCE").contains("does not exist");
        CliFixtures.Outcome big = run("analyze", folder.toString(), "--method", "ssim", "--max-items", "4");
        assertThat(big.code()).isEqualTo(Main.CANNOT_RUN);
        assertThat(big.err()).contains("--method ssim compares all pairs of images, and 9 images are more than the 4 allowed");
    }
}
