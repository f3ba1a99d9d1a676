package dev.exemplar.cli;

import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar result merge FOLDER}: a result written as part files comes back as the file summarize writes. */
class ResultMergeTest {
    /** 40 items, 8 delegates, every constituent linked to one to three of them, two duplicate groups, two errors. */
    static Result result() {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 40; i++) order.add((i % 3 == 0 ? "sub/" : "") + "img" + i + ".jpg");
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        for (int i = 8; i < 40; i++) {
            List<Result.Link> l = new ArrayList<>();
            if (i % 3 == 0) l.add(new Result.Link(order.get(i % 8), 1.0));
            else if (i % 3 == 1) l.addAll(List.of(new Result.Link(order.get(i % 8), 0.6667), new Result.Link(order.get((i + 1) % 8), 0.3333)));
            else l.addAll(List.of(new Result.Link(order.get(i % 8), 0.5), new Result.Link(order.get((i + 3) % 8), 0.3),
                        new Result.Link(order.get((i + 5) % 8), 0.2)));
            links.put(order.get(i), l);
        }
        return new Result(order, 8, links, List.of(List.of(order.get(3), order.get(39)), List.of(order.get(20), order.get(12), order.get(30))),
                List.of(new Result.ItemError("broken.jpg", "JPEG stream truncated at byte 18312"), new Result.ItemError("empty.png", "empty file")));
    }

    static Path parts(Path dir) throws IOException {
        Path folder = dir.resolve("parts");
        ResultParts.write(result(), folder, 3, false);
        return folder;
    }

    /** Shuffles a part file's lines, as a shuffle between Spark stages leaves them. */
    static void shuffle(Path file, long seed) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Collections.shuffle(lines, new Random(seed));
        Files.write(file, lines);
    }

    static void gzip(Path file) throws IOException {
        byte[] plain = Files.readAllBytes(file);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.resolveSibling(file.getFileName() + ".gz")))) {
            out.write(plain);
        }
        Files.delete(file);
    }

    @Test
    void partsInShuffledRankOrderOneGzippedMergeBackToTheFileSummarizeWrites(@TempDir Path dir) throws IOException {
        Path expected = dir.resolve("expected.json");
        result().write(expected);
        Path folder = parts(dir);
        for (String part : List.of("order", "links")) {
            for (int p = 0; p < 3; p++) shuffle(folder.resolve(part).resolve(String.format("part-%05d.json", p)), p);
        }
        gzip(folder.resolve("order/part-00001.json"));
        // what Spark leaves beside its parts
        Files.writeString(folder.resolve("order/.part-00000.json.crc"), "not a part");
        assertThat(folder.resolve("order/_SUCCESS")).exists();

        Path out = dir.resolve("merged.json");
        CliFixtures.Outcome o = run("result", "merge", folder.toString(), "--out", out.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(expected));
        assertThat(o.out()).contains("40 items (8 in the summary), 32 linked, 2 duplicate groups, 2 errors");
    }

    /** Replaces the first line containing {@code from} in a part file. */
    static void edit(Path file, String from, String to) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                lines.set(i, lines.get(i).replace(from, to));
                break;
            }
        }
        Files.write(file, lines);
    }

    static String mergeFails(Path folder) {
        CliFixtures.Outcome o = run("result", "merge", folder.toString(), "--out", folder.resolveSibling("out.json").toString());
        assertThat(o.code()).isNotZero();
        assertThat(o.err().lines().toList()).as(o.err()).hasSize(1);
        assertThat(o.err()).startsWith("error: ");
        assertThat(folder.resolveSibling("out.json")).doesNotExist();
        return o.err();
    }

    @Test
    void aRankGivenTwiceIsNamedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Path folder = parts(dir);
        edit(folder.resolve("order/part-00002.json"), "\"rank\":30,", "\"rank\":3,");

        assertThat(mergeFails(folder)).contains("order/part-00002.json line 2: rank 3 is given twice");
    }

    @Test
    void aMissingRankIsNamed(@TempDir Path dir) throws IOException {
        Path folder = parts(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(folder.resolve("order/part-00001.json")));
        lines.remove(0);
        Files.write(folder.resolve("order/part-00001.json"), lines);

        assertThat(mergeFails(folder)).contains("order/: rank 15 is missing; summary.json says 40 items, 39 are given");
    }

    @Test
    void aLinkToAnItemOutsideTheSummaryIsNamedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Path folder = parts(dir);
        edit(folder.resolve("links/part-00001.json"), "\"delegate\":\"img", "\"delegate\":\"img30");

        assertThat(mergeFails(folder)).contains("links/part-00001.json line 1:").contains("which is not a delegate (the first 8)");
    }

    @Test
    void aLineThatIsNotJsonIsNamedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Path folder = parts(dir);
        Path file = folder.resolve("duplicates/part-00000.json");
        Files.writeString(file, Files.readString(file) + "{\"group\": [\"img1.jpg\",\n", StandardCharsets.UTF_8);

        assertThat(mergeFails(folder)).contains("duplicates/part-00000.json line 2: not JSON");
    }

    @Test
    void aSizeThatDisagreesWithSummaryJsonIsNamed(@TempDir Path dir) throws IOException {
        Path folder = parts(dir);
        Files.writeString(folder.resolve("summary.json"), "{\"items\": 39, \"summary_size\": 8}\n");

        assertThat(mergeFails(folder)).contains("order/part-00002.json").contains("rank 40 is outside 1..39 (summary.json)");
    }
}
