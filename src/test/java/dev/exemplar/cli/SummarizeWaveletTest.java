package dev.exemplar.cli;

import dev.exemplar.summary.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code exemplar summarize FOLDER --features wavelet} end to end. */
class SummarizeWaveletTest {
    @TempDir
    Path tmp;

    @Test
    void waveletFeaturesGiveAValidResult() throws IOException {
        Path folder = tmp.resolve("data");
        List<String> names = new ArrayList<>(CliFixtures.goodImages(folder, 14));
        Files.copy(folder.resolve("img02.jpg"), folder.resolve("copy02.jpg"));
        names.add("copy02.jpg");

        Path out = tmp.resolve("result.json");
        CliFixtures.Outcome o = run("summarize", folder.toString(), "--out", out.toString(), "--features", "wavelet");
        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);

        assertThat(r.order()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(new HashSet<>(r.order())).hasSameSizeAs(r.order());
        int k = r.summarySize();
        assertThat(k).isBetween(1, names.size());
        List<String> summary = r.order().subList(0, k);
        assertThat(r.links()).containsOnlyKeys(r.order().subList(k, r.order().size()));
        r.links().forEach((c, links) -> {
            assertThat(links).as(c).hasSizeBetween(1, 3);
            links.forEach(l -> assertThat(summary).as(c).contains(l.delegate()));
            assertThat(links.stream().mapToDouble(Result.Link::weight).sum()).as(c).isCloseTo(1, within(1e-3));
        });
        assertThat(r.duplicates()).anySatisfy(g -> assertThat(g).contains("img02.jpg", "copy02.jpg"));
        assertThat(o.out()).containsPattern("Wavelet features: n=15, d=3072, kept m=\\d+ columns "
                + "\\(numerical rank \\d+, condition number [0-9.e+]+\\)");
        assertThat(o.out()).contains("wavelet");
    }

    @Test
    void combinedIsTheDefaultAndPrintsNoWaveletLine() throws IOException {
        Path folder = tmp.resolve("small");
        CliFixtures.goodImages(folder, 4);
        CliFixtures.Outcome o = run("summarize", folder.toString(), "--out", tmp.resolve("r.json").toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).doesNotContain("Wavelet features");
    }

    @Test
    void anUnknownMethodCannotRun() {
        CliFixtures.Outcome o = run("summarize", tmp.toString(), "--features", "pixels");
        assertThat(o.code()).isEqualTo(Main.CANNOT_RUN);
        assertThat(o.err()).contains("--features");
    }
}
