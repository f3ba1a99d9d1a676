package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code exemplar simulate} on the bundled samples, labelled with the scene each photograph shows. */
class SimulateCommandTest {
    static final Path SAMPLES = Path.of("samples", "rooms");

    @TempDir
    static Path tmp;
    static CliFixtures.Outcome outcome;
    static JsonNode figures;

    @BeforeAll
    static void simulate() throws IOException {
        outcome = run("simulate", SAMPLES.resolve("images").toString(), "--labels", SAMPLES.resolve("truth.csv").toString(),
                "--label-column", "group", "--report", tmp.resolve("report").toString());
        String[] lines = outcome.out().strip().split("\n");
        figures = Json.MAPPER.readTree(lines[lines.length - 1]);
    }

    @Test
    void measuresEachShareLabelledAndEndsWithItsFiguresAsOneJsonLine() {
        assertThat(outcome.code()).as(outcome.err()).isZero();
        JsonNode percents = figures.get("percents");
        List<Integer> shares = new ArrayList<>();
        percents.forEach(p -> shares.add(p.get("percent").asInt()));
        assertThat(shares).containsExactly(5, 10, 20, 30);
        for (JsonNode p : percents) {
            int items = p.get("items").asInt();
            assertThat(items).isEqualTo(36);
            assertThat(p.get("labelled").asInt()).isEqualTo((int) Math.ceil(items * p.get("percent").asInt() / 100.0));
            // people label at least the share they were given, at most everything
            assertThat(p.get("effort").asDouble()).isBetween(p.get("labelled").asInt() / (double) items - 1e-4, 1.0);
            // and every item not labelled by people nor trusted: delegates can be trusted too
            int trusted = p.get("trusted_delegates").asInt() + p.get("trusted_constituents").asInt();
            assertThat(p.get("effort").asDouble()).isCloseTo(1 - trusted / (double) items, within(1e-4));
            JsonNode curve = p.get("by_confidence");
            assertThat(curve.size()).isPositive();
            // coverage can only fall as the confidence asked for rises
            for (int i = 1; i < curve.size(); i++) {
                assertThat(curve.get(i).get("confidence").asDouble()).isGreaterThan(curve.get(i - 1).get("confidence").asDouble());
                assertThat(curve.get(i).get("coverage").asDouble()).isLessThanOrEqualTo(curve.get(i - 1).get("coverage").asDouble());
            }
        }
    }

    @Test
    void recommendsTheShareWithTheLeastEffort() {
        double least = Double.POSITIVE_INFINITY;
        int share = 0;
        for (JsonNode p : figures.get("percents")) { // the smallest share among equals
            if (p.get("effort").asDouble() < least - 1e-12) {
                least = p.get("effort").asDouble();
                share = p.get("percent").asInt();
            }
        }
        assertThat(figures.get("effort").asDouble()).isEqualTo(least);
        assertThat(figures.get("percent_labelled").asInt()).isEqualTo(share);
        assertThat(figures.has("recommended_confidence")).isTrue();
        assertThat(outcome.out()).contains("Least effort:     label " + share + "% of the queue");
    }

    @Test
    void itsPagePlotsAccuracyAndCoverageAgainstConfidenceForEachShare() throws IOException {
        String page = Files.readString(tmp.resolve("report/index.html"));
        for (int p : new int[] {5, 10, 20, 30}) assertThat(page).contains("id=\"chart-" + p + "\"");
        assertThat(page).contains("class=\"accuracy\"").contains("class=\"coverage\"").contains("class=\"target\"");
    }

    @Test
    void labelsThatNameNoItemStopTheRunSayingHowRowsMustNameThem() throws IOException {
        Path labels = tmp.resolve("other.csv");
        Files.writeString(labels, "file,label\nelsewhere/a.jpg,cat\nelsewhere/b.jpg,dog\n");
        CliFixtures.Outcome o = run("simulate", SAMPLES.resolve("images").toString(), "--labels", labels.toString());

        assertThat(o.code()).isEqualTo(Main.CANNOT_RUN);
        assertThat(o.err()).contains("no item of SOURCE has a label in " + labels).contains("by their file names");
    }

    @Test
    void aColumnTheHeaderDoesNotNameIsRefusedBeforeAnyWork() {
        CliFixtures.Outcome o = run("simulate", SAMPLES.resolve("images").toString(), "--labels",
                SAMPLES.resolve("truth.csv").toString(), "--label-column", "species");

        assertThat(o.code()).isEqualTo(Main.CANNOT_RUN);
        assertThat(o.err()).contains("names no column species");
    }

    @Test
    void sharesOutsideOneToNinetyNinePercentAreRefused() {
        CliFixtures.Outcome o = run("simulate", SAMPLES.resolve("images").toString(), "--labels",
                SAMPLES.resolve("truth.csv").toString(), "--percent", "10,100");

        assertThat(o.code()).isEqualTo(Main.CANNOT_RUN);
        assertThat(o.err()).contains("--percent takes shares from 1 to 99, not 100");
    }
}
