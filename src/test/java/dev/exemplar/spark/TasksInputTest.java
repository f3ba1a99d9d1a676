package dev.exemplar.spark;

import dev.exemplar.json.Json;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Label Studio tasks export as the job's input: tasks named by id, their pictures read from below
 * {@code --local-files-root} on any Hadoop file system, and every task whose picture is elsewhere, remote, missing or
 * absent an error of its own, never a read outside the root.
 */
class TasksInputTest {
    static final Path SAMPLES = Path.of("samples/rooms").toAbsolutePath();
    static final String ROOT = SAMPLES.toUri().toString().replaceAll("/$", "");

    @TempDir
    static Path tmp;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("exemplar tasks test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void theSamplesTasksAreOrderedAndEveryUnreadablePictureIsAnErrorOfItsTask() throws IOException {
        List<String> images;
        try (Stream<Path> files = Files.list(SAMPLES.resolve("images"))) {
            images = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            // the forms a picture below the root may take: a local-files URL, a path relative to the root, an absolute path
            String picture = switch (i % 3) {
                case 0 -> "/data/local-files/?d=images/" + images.get(i);
                case 1 -> "images/" + images.get(i);
                default -> SAMPLES.resolve("images").resolve(images.get(i)).toString();
            };
            tasks.add(Map.of("id", i + 1, "data", Map.of("image", picture, "caption", "view " + i)));
        }
        tasks.add(Map.of("id", 101, "data", Map.of("image", "https://example.com/a.jpg")));
        tasks.add(Map.of("id", 102, "data", Map.of("image", "/data/local-files/?d=../../../etc/hostname.jpg")));
        tasks.add(Map.of("id", 103, "data", Map.of("image", "/etc/hostname.jpg")));
        tasks.add(Map.of("id", 104, "data", Map.of("image", "/data/local-files/?d=images/missing.jpg")));
        tasks.add(Map.of("id", 105, "data", Map.of("text", "no picture")));
        Path export = Files.write(tmp.resolve("export.json"), Json.MAPPER.writeValueAsBytes(tasks));

        Path out = tmp.resolve("out");
        SummarizeJob.run(spark, JobOptions.parse("--input", export.toString(), "--output", out.toString(), "--local-files-root", ROOT,
                "--partitions", "2"));
        Result r = ResultParts.read(out);

        assertThat(r.order()).doesNotHaveDuplicates().hasSize(images.size())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, images.size()).mapToObj(String::valueOf).toList());
        Map<String, String> errors = new HashMap<>();
        r.errors().forEach(e -> errors.put(e.item(), e.error()));
        assertThat(errors).containsOnlyKeys("101", "102", "103", "104", "105");
        assertThat(errors.get("101")).contains("the job reads pictures only from --local-files-root", "not supported by the job");
        assertThat(errors.get("102")).contains("leads out of --local-files-root");
        assertThat(errors.get("103")).contains("is outside --local-files-root");
        assertThat(errors.get("104")).contains("no such file").contains("images/missing.jpg");
        assertThat(errors.get("105")).contains("task has no image");
    }

    @Test
    void aPictureIsReadOnlyFromBelowTheRoot() throws IOException {
        String root = "hdfs://nn:8020/data/photos";
        assertThat(ExportTasks.picture("/data/local-files/?d=a/b%20c.jpg", root)).isEqualTo("hdfs://nn:8020/data/photos/a/b c.jpg");
        assertThat(ExportTasks.picture("a/b.jpg", root)).isEqualTo("hdfs://nn:8020/data/photos/a/b.jpg");
        assertThat(ExportTasks.picture("/data/photos/a/b.jpg", root)).isEqualTo("hdfs://nn:8020/data/photos/a/b.jpg");
        assertThat(ExportTasks.picture("hdfs://nn:8020/data/photos/a.jpg", root)).isEqualTo("hdfs://nn:8020/data/photos/a.jpg");
        for (String outside : List.of("/data/photos/../secret/a.jpg", "/data/photosphere/a.jpg", "hdfs://other:8020/data/photos/a.jpg",
                "s3a://bucket/data/photos/a.jpg", "a/../../b.jpg", "/data/local-files/?d=a/%2E%2E/%2E%2E/b.jpg", "http://host/data/photos/a.jpg")) {
            assertThatThrownBy(() -> ExportTasks.picture(outside, root)).as(outside).isInstanceOf(IOException.class)
                    .hasMessageContaining("--local-files-root hdfs://nn:8020/data/photos");
        }
    }

    @Test
    void aFileThatIsNotAnExportIsRefusedInOneLine() throws IOException {
        Path notAnExport = Files.writeString(tmp.resolve("object.json"), "{\"id\": 1}");
        assertThatThrownBy(() -> SummarizeJob.run(spark, JobOptions.parse("--input", notAnExport.toString(), "--output", tmp.resolve("no").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("is not a Label Studio tasks export (expected a JSON array of tasks)");
        Path twice = Files.writeString(tmp.resolve("twice.json"), "[{\"id\": 1, \"data\": {}}, {\"id\": 1, \"data\": {}}]");
        assertThatThrownBy(() -> SummarizeJob.run(spark, JobOptions.parse("--input", twice.toString(), "--output", tmp.resolve("no").toString())))
                .hasMessageEndingWith("has task id 1 twice");
    }
}
