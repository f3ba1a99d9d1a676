package dev.exemplar.spark;

import dev.exemplar.features.Embeddings;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --embeddings} with a folder of images, as {@code summarize --embeddings}: the file is read by the engine's
 * reader and each image's descriptor joined with its vector. On the 36 sample photographs, vectors that name each
 * one's scene change the job's order as they change the single machine's: both then cover every scene in the first G.
 */
class EmbeddingsInputTest {
    static final Path SAMPLES = Path.of("samples/rooms").toAbsolutePath();

    @TempDir
    static Path tmp;
    private static SparkSession spark;
    /** Each image's scene, by its name in the folder. */
    private static Map<String, String> scene;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("exemplar embeddings test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        scene = new TreeMap<>();
        for (String line : Files.readAllLines(SAMPLES.resolve("truth.csv")).subList(1, 37)) {
            String[] f = line.split(",");
            scene.put(f[0].substring("images/".length()), f[1]);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** A JSON lines file giving each image a vector of its scene alone (one-hot), under the names it gives. */
    private static Path sceneVectors(String prefix) throws IOException {
        List<String> scenes = scene.values().stream().distinct().sorted().toList();
        List<String> lines = new ArrayList<>();
        for (var e : scene.entrySet()) {
            float[] v = new float[scenes.size()];
            v[scenes.indexOf(e.getValue())] = 1;
            lines.add(Json.MAPPER.writeValueAsString(Map.of("name", prefix + e.getKey(), "vector", v)));
        }
        return Files.write(tmp.resolve(prefix.isEmpty() ? "scenes.jsonl" : "prefixed.jsonl"), lines);
    }

    @Test
    void vectorsNamingTheScenesChangeTheOrderAsOnTheSingleMachine() throws IOException {
        Path vectors = sceneVectors("");
        int g = new HashSet<>(scene.values()).size();
        JobOptions plain = new JobOptions(SAMPLES.resolve("images").toString(), tmp.resolve("plain").toString(), "auto", 3, 2);
        List<String> without = run(plain);
        List<String> with = run(new JobOptions(SAMPLES.resolve("images").toString(), tmp.resolve("embedded").toString(), "auto", 3, 2)
                .withEmbeddings(vectors.toString()));

        Map<String, float[]> e = Embeddings.read(vectors);
        Pipeline.Options o = Pipeline.Options.defaults();
        List<String> single = Pipeline.run(items(), o, Progress.NONE).result().order();
        List<String> singleWith = Pipeline.run(items(), new Pipeline.Options(o.summarySize(), o.maxDelegates(), e, o.loader(), o.features()),
                Progress.NONE).result().order();
        System.out.printf("scenes among the first %d: job %d, with embeddings %d; single machine %d, with embeddings %d%n", g,
                scenes(without, g), scenes(with, g), scenes(single, g), scenes(singleWith, g));

        assertThat(with).as("the job's order with the vectors").isNotEqualTo(without).containsExactlyInAnyOrderElementsOf(without);
        assertThat(scenes(singleWith, g)).as("the single machine with the vectors").isEqualTo(g);
        assertThat(scenes(with, g)).as("the job with the vectors, as the single machine").isEqualTo(scenes(singleWith, g));
    }

    /**
     * A file without vectors for some images: one copy of each near-duplicate pair has a vector and the other none. As on
     * one machine, the pair is compared by its descriptors alone, so the copies are still found.
     */
    @Test
    void imagesWithoutAVectorAreComparedByTheirDescriptorsAsOnTheSingleMachine() throws IOException {
        Pipeline.Options o = Pipeline.Options.defaults();
        List<List<String>> copies = Pipeline.run(items(), o, Progress.NONE).result().duplicates();
        assertThat(copies).as("the samples' copy sets").isNotEmpty();
        Set<String> without = new HashSet<>();
        for (List<String> group : copies) without.add(group.get(0));
        Path partial = tmp.resolve("partial.jsonl");
        Files.write(partial, Files.readAllLines(sceneVectors("")).stream()
                .filter(line -> without.stream().noneMatch(name -> line.contains("\"" + name + "\""))).toList());

        Map<String, float[]> e = Embeddings.read(partial);
        Set<Set<String>> single = groups(Pipeline.run(items(), new Pipeline.Options(o.summarySize(), o.maxDelegates(), e, o.loader(),
                o.features()), Progress.NONE).result().duplicates());
        JobOptions job = new JobOptions(SAMPLES.resolve("images").toString(), tmp.resolve("partial").toString(), "auto", 3, 2)
                .withEmbeddings(partial.toString());
        SummarizeJob.run(spark, job);

        assertThat(single).as("the single machine's copy sets with the partial file").hasSize(copies.size());
        assertThat(groups(ResultParts.read(Path.of(job.output())).duplicates())).isEqualTo(single);
    }

    private static Set<Set<String>> groups(List<List<String>> groups) {
        Set<Set<String>> out = new HashSet<>();
        for (List<String> g : groups) out.add(new HashSet<>(g));
        return out;
    }

    @Test
    void aFileNamingTooFewOfTheImagesIsRefused() throws IOException {
        Path prefixed = sceneVectors("images/");
        JobOptions o = new JobOptions(SAMPLES.resolve("images").toString(), tmp.resolve("refused").toString(), "auto", 3, 2)
                .withEmbeddings(prefixed.toString());
        assertThatThrownBy(() -> SummarizeJob.run(spark, o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 of 36 items have a vector in --embeddings, fewer than --embeddings-min-match 50%")
                .hasMessageContaining("the file names images/")
                .hasMessageNotContaining("\n");
    }

    /** How many scenes the first k of an order show. */
    private static int scenes(List<String> order, int k) {
        Set<String> seen = new HashSet<>();
        for (String name : order.subList(0, Math.min(k, order.size()))) seen.add(scene.get(name));
        return seen.size();
    }

    private static List<String> run(JobOptions o) throws IOException {
        SummarizeJob.run(spark, o);
        Result r = ResultParts.read(Path.of(o.output()));
        return r.order();
    }

    private static List<Item> items() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES.resolve("images"))) {
            return files.sorted().map(p -> new Item(p.getFileName().toString(), () -> Files.readAllBytes(p))).toList();
        }
    }
}
