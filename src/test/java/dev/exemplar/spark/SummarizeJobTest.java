package dev.exemplar.spark;

import dev.exemplar.json.Json;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The job in local mode with four partitions on the development sets, against the single-machine engine run in the
 * same test: every item ordered once, the same near-duplicate groups, group coverage at k = G within
 * 0.02 and first-delegate accuracy within 0.03. Scored as evaluate.py scores them.
 */
class SummarizeJobTest {
    static final Path DATASETS = Path.of("../shared/datasets");
    static final int PARTITIONS = 4;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("exemplar test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS)).getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** Classes: every item ordered once, the single machine's duplicate groups, its coverage at k = G and first delegates' classes. */
    @Test
    void classesDevMatchesTheSingleMachine(@TempDir Path out) throws IOException {
        Figures f = compare("classes-dev", "class", out);
        f.assertSameDuplicates();
        f.assertCoverage();
        f.assertAccuracy();
    }

    /** Rooms: the same, with first delegates showing the constituent's scene; scenes are told apart by verification. */
    @Test
    void roomsDevMatchesTheSingleMachine(@TempDir Path out) throws IOException {
        Figures f = compare("rooms-dev", "group", out);
        f.assertSameDuplicates();
        f.assertCoverage();
        f.assertAccuracy();
    }

    /**
     * Rooms, with the delegates for the links sent only to the partitions near them, as for a summary too large to
     * broadcast: first delegates still show the constituent's scene as often as on one machine.
     */
    @Test
    void roomsDevLinksToTheDelegatesNearEachPartitionMatchTheSingleMachine(@TempDir Path out) throws IOException {
        compare(spark, "rooms-dev", "group", out, 0).assertAccuracy();
    }

    /** The job's and the single machine's figures, and their near-duplicate groups. */
    record Figures(double coverage, double singleCoverage, double accuracy, double singleAccuracy, Set<Set<String>> duplicates,
                   Set<Set<String>> singleDuplicates) {
        void assertCoverage() {
            assertThat(coverage).as("group coverage at G").isCloseTo(singleCoverage, org.assertj.core.data.Offset.offset(0.02));
        }

        void assertAccuracy() {
            assertThat(accuracy).as("first-delegate accuracy").isCloseTo(singleAccuracy, org.assertj.core.data.Offset.offset(0.03));
        }

        void assertSameDuplicates() {
            assertThat(duplicates).as("near-duplicate groups").isEqualTo(singleDuplicates);
        }
    }

    @Test
    void optionsAreRead() {
        JobOptions o = JobOptions.parse("--input", "in", "--output", "out", "--summary-size", "5%", "--partitions", "8");
        assertThat(o).isEqualTo(new JobOptions("in", "out", "5%", 3, 8));
    }

    /** An output named .json is the one file `summarize` writes, the same result as the part files joined. */
    @Test
    void anOutputNamedJsonIsTheSingleResultFile(@TempDir Path tmp) throws IOException {
        String samples = Path.of("samples").toAbsolutePath().toUri().toString();
        SummarizeJob.run(spark, new JobOptions(samples, tmp.resolve("parts").toUri().toString(), "auto", 3, PARTITIONS));
        SummarizeJob.Written written = SummarizeJob.run(spark, new JobOptions(samples, tmp.resolve("result.json").toUri().toString(), "auto", 3, PARTITIONS));

        Result single = Result.read(tmp.resolve("result.json"));
        assertThat(single).isEqualTo(ResultParts.read(tmp.resolve("parts")));
        assertThat(single.order()).hasSize((int) written.items());
        assertThat(single.links().keySet()).as("links in the order's order").containsExactlyElementsOf(single.order().subList(single.summarySize(), single.order().size()));
        try (Stream<Path> left = Files.list(tmp)) {
            // Hadoop's local file system keeps a hidden checksum beside each file it writes
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")))
                    .as("no part file left behind").containsExactlyInAnyOrder("parts", "result.json");
        }
    }

    @Test
    void namesAreRelativeToTheInputFolder() {
        assertThat(Inputs.relative("/data/set", "file:/data/set/images/a b.jpg")).isEqualTo("images/a b.jpg");
    }

    private Figures compare(String dataset, String labelColumn, Path tmp) throws IOException {
        return compare(spark, dataset, labelColumn, tmp);
    }

    /** Runs the job on the given session and the single machine, and checks that every item is ordered once. */
    static Figures compare(SparkSession spark, String dataset, String labelColumn, Path tmp) throws IOException {
        return compare(spark, dataset, labelColumn, tmp, SummarizeJob.BROADCAST_VALUES);
    }

    static Figures compare(SparkSession spark, String dataset, String labelColumn, Path tmp, long broadcastValues) throws IOException {
        Path root = DATASETS.resolve(dataset).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(root), "the development datasets are beside the repository");
        Truth truth = Truth.read(root.resolve("truth.csv"), labelColumn);

        long t0 = System.nanoTime();
        Path out = tmp.resolve("out");
        SummarizeJob.Written written = SummarizeJob.run(spark, new JobOptions(root.toUri().toString(), out.toUri().toString(), "auto", 3, PARTITIONS),
                broadcastValues);
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        List<String> order = new ArrayList<>(parts(out.resolve("order")).stream()
                .sorted((a, b) -> Integer.compare(a.get("rank").asInt(), b.get("rank").asInt())).map(n -> n.get("item").asText()).toList());
        Map<String, List<String>> links = new HashMap<>();
        for (var n : parts(out.resolve("links"))) {
            List<String> ds = new ArrayList<>();
            n.get("links").forEach(l -> ds.add(l.get("delegate").asText()));
            links.put(n.get("item").asText(), ds);
        }
        Set<Set<String>> duplicates = new HashSet<>();
        for (var n : parts(out.resolve("duplicates"))) {
            Set<String> g = new HashSet<>();
            n.get("group").forEach(m -> g.add(m.asText()));
            duplicates.add(g);
        }

        long t1 = System.nanoTime();
        Result single = Pipeline.run(items(root), Pipeline.Options.defaults(), Progress.NONE).result();
        double singleSeconds = (System.nanoTime() - t1) / 1e9;
        Map<String, List<String>> singleLinks = new HashMap<>();
        single.links().forEach((c, ls) -> singleLinks.put(c, ls.stream().map(Result.Link::delegate).toList()));

        int groups = truth.groupCount();
        double coverage = truth.coverage(order, groups), singleCoverage = truth.coverage(single.order(), groups);
        double accuracy = truth.firstDelegateAccuracy(links), singleAccuracy = truth.firstDelegateAccuracy(singleLinks);
        System.out.printf("%s: summary size spark %d single %d%n", dataset, written.summarySize(), single.summarySize());
        System.out.printf("%s: %d items, G = %d; coverage@G spark %.4f single %.4f; first-delegate %s accuracy spark %.4f single %.4f;"
                        + " duplicate groups spark %d single %d; %.1f s spark (%d partitions, %s), %.1f s single%n",
                dataset, order.size(), groups, coverage, singleCoverage, labelColumn, accuracy, singleAccuracy, duplicates.size(),
                single.duplicates().size(), sparkSeconds, PARTITIONS, spark.sparkContext().master(), singleSeconds);

        assertThat(order).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(single.order());
        Result merged = ResultParts.read(out);
        assertThat(merged.order()).as("the parts as `result merge` reads them").isEqualTo(order);
        assertThat(merged.summarySize()).isEqualTo(written.summarySize());
        Set<Set<String>> singleDuplicates = new HashSet<>();
        single.duplicates().forEach(g -> singleDuplicates.add(new HashSet<>(g)));
        Set<Set<String>> onlySpark = new HashSet<>(duplicates), onlySingle = new HashSet<>(singleDuplicates);
        onlySpark.removeAll(singleDuplicates);
        onlySingle.removeAll(duplicates);
        System.out.printf("%s: duplicate groups only in spark %s, only in single %s%n", dataset, onlySpark, onlySingle);
        return new Figures(coverage, singleCoverage, accuracy, singleAccuracy, duplicates, singleDuplicates);
    }

    /** Every regular file below the folder that is not hidden, named by its path below it, as the command line lists a folder. */
    private static List<Item> items(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !root.relativize(p).toString().startsWith(".")).sorted()
                    .map(p -> new Item(root.relativize(p).toString().replace('\\', '/'), () -> Files.readAllBytes(p))).toList();
        }
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> parts(Path folder) throws IOException {
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(p)) if (!line.isBlank()) out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    /**
     * truth.csv's groups and the label the links are scored by, and evaluate.py's two figures: the share of groups with
     * a member among the first k of the order, and the share of constituents whose first delegate has their label
     * (for groups: over constituents whose group has two images or more; for classes: over all with links).
     */
    record Truth(Map<String, String> group, Map<String, String> label, boolean byGroup) {
        static Truth read(Path csv, String labelColumn) throws IOException {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = List.of(lines.get(0).split(","));
            int g = header.indexOf("group"), l = header.indexOf(labelColumn);
            Map<String, String> group = new HashMap<>(), label = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                group.put(f[0], f[g]);
                label.put(f[0], f[l]);
            }
            return new Truth(group, label, labelColumn.equals("group"));
        }

        int groupCount() {
            return new HashSet<>(group.values()).size();
        }

        double coverage(List<String> order, int k) {
            Set<String> seen = new HashSet<>();
            for (String item : order.subList(0, Math.min(k, order.size()))) if (group.containsKey(item)) seen.add(group.get(item));
            return seen.size() / (double) groupCount();
        }

        double firstDelegateAccuracy(Map<String, List<String>> links) {
            Map<String, Integer> size = new HashMap<>();
            group.values().forEach(g -> size.merge(g, 1, Integer::sum));
            int counted = 0, right = 0;
            for (var e : links.entrySet()) {
                if (e.getValue().isEmpty() || !group.containsKey(e.getKey())) continue;
                if (byGroup && size.get(group.get(e.getKey())) < 2) continue;
                counted++;
                if (label.get(e.getKey()).equals(label.get(e.getValue().get(0)))) right++;
            }
            return right / (double) counted;
        }
    }
}
