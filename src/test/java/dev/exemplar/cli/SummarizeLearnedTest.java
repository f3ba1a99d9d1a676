package dev.exemplar.cli;

import dev.exemplar.features.learned.LearnedFeatures;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code exemplar summarize FOLDER --features learned} end to end, on the network the build fetched. */
class SummarizeLearnedTest {
    @TempDir
    Path tmp;

    @Test
    void learnedFeaturesOrderEverySample() throws IOException {
        Path network = LearnedFeatures.defaultDirectory();
        boolean there = Files.isRegularFile(network.resolve("model.min.js"));
        if (!there && System.getenv("CI") != null) fail("no network in " + network + ": the build could not fetch it");
        assumeTrue(there, "no network in " + network + ": the build could not fetch it");
        Path samples = Path.of("samples", "rooms", "images");
        List<String> names;
        try (Stream<Path> s = Files.list(samples)) {
            names = s.map(p -> p.getFileName().toString()).toList();
        }

        Path out = tmp.resolve("result.json");
        CliFixtures.Outcome o = run("summarize", samples.toString(), "--out", out.toString(), "--features", "learned");
        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);
        assertThat(r.order()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(r.links()).containsOnlyKeys(r.order().subList(r.summarySize(), r.order().size()));
        // duplicates are still found by descriptors and thumbnails: the samples' 7 copy sets
        assertThat(r.duplicates()).hasSize(7);
    }

    @Test
    void withoutTheNetworkTheCommandSaysWhichFileAndHowToGetIt() {
        Path nowhere = tmp.resolve("no-network");
        String before = System.getProperty("exemplar.network.dir");
        System.setProperty("exemplar.network.dir", nowhere.toString());
        try {
            CliFixtures.Outcome o = run("summarize", tmp.toString(), "--out", tmp.resolve("r.json").toString(), "--features", "learned");
            assertThat(o.code()).isEqualTo(Main.CANNOT_RUN);
            assertThat(o.err().strip()).doesNotContain("\n")
                    .contains("--features learned", nowhere.resolve("model.min.js").toString(), "mvn package");
            assertThat(tmp.resolve("r.json")).doesNotExist();
        } finally {
            if (before == null) System.clearProperty("exemplar.network.dir");
            else System.setProperty("exemplar.network.dir", before);
        }
    }
}
