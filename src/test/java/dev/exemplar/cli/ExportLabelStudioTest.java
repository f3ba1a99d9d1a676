package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.backend.ProjectSync;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Result;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar export RESULT --format labelstudio}: a file that, imported into Label Studio, puts the same rank and
 * role on each image as a sync of the same images, so the backend's views select and order its tasks alike.
 */
class ExportLabelStudioTest {
    static final String CONFIG = RemoveWhileServingTest.CONFIG;

    @TempDir
    static Path tmp;
    static Path resultFile;
    static Result result;

    @BeforeAll
    static void summarise() throws IOException {
        resultFile = tmp.resolve("result.json");
        result = ExportFixtures.summarize(ExportFixtures.SAMPLE, resultFile);
    }

    static ArrayNode export(Path file, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("export", resultFile.toString(), "--format", "labelstudio", "--to", file.toString()));
        args.addAll(List.of(options));
        CliFixtures.Outcome o = run(args.toArray(String[]::new));
        assertThat(o.code()).as(o.err()).isZero();
        Path written = Files.isDirectory(file) ? file.resolve("tasks.json") : file;
        return (ArrayNode) Json.MAPPER.readTree(written.toFile());
    }

    /** The image a local-files URL names, below Label Studio's document root. */
    static String localPath(String url) {
        assertThat(url).startsWith("/data/local-files/?d=");
        return URLDecoder.decode(url.substring("/data/local-files/?d=".length()), StandardCharsets.UTF_8);
    }

    @Test
    void importedTasksCarryTheRankAndRoleASyncWritesAndTheSummaryViewSelectsThemInTheSameOrder(@TempDir Path data) throws Exception {
        Path file = tmp.resolve("import.json");
        String importFile = export(file, "--source", ExportFixtures.SAMPLE.toString()).toString();

        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");

            // the same images, uploaded to a project the backend syncs
            long synced = ls.seed().project(admin, CONFIG);
            List<Map<String, ?>> datas = new ArrayList<>();
            try (Stream<Path> files = Files.list(ExportFixtures.SAMPLE)) {
                for (Path p : files.sorted().toList()) {
                    datas.add(Map.of("image", ls.seed().upload(synced + "/" + p.getFileName(), Files.readAllBytes(p)), "file", p.getFileName().toString()));
                }
            }
            ls.seed().importTasks(synced, datas);
            Map<String, String> env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                    "EXEMPLAR_DATA_DIR", data.toString());
            try (Store store = Store.open(data); Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
                backend.sync().setup(synced, lsUrl, admin.personalAccessToken());
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
            }

            // the export file, imported as a user would, through the API
            long imported = ls.seed().project(admin, CONFIG);
            Request req = new Request.Builder().url(lsUrl + "/api/projects/" + imported + "/import")
                    .header("Authorization", "Bearer " + admin.accessToken())
                    .post(RequestBody.create(importFile, MediaType.get("application/json"))).build();
            try (Response r = new OkHttpClient().newCall(req).execute()) {
                assertThat(r.code()).as(r.body().string()).isEqualTo(201);
            }

            Map<Long, String> syncedNames = new HashMap<>(), importedNames = new HashMap<>();
            Map<String, JsonNode> syncedData = new HashMap<>(), importedData = new HashMap<>();
            for (JsonNode t : ls.read().tasks(synced)) {
                syncedNames.put(t.get("id").asLong(), t.get("data").get("file").asText());
                syncedData.put(t.get("data").get("file").asText(), t.get("data"));
            }
            for (JsonNode t : ls.read().tasks(imported)) {
                String name = localPath(t.get("data").get("image").asText());
                importedNames.put(t.get("id").asLong(), name);
                importedData.put(name, t.get("data"));
            }
            assertThat(importedData.keySet()).isEqualTo(syncedData.keySet());
            for (String name : syncedData.keySet()) {
                for (String field : List.of(ProjectSync.RANK, ProjectSync.ROLE)) {
                    assertThat(importedData.get(name).get(field)).as("%s of %s", field, name).isEqualTo(syncedData.get(name).get(field));
                }
            }

            for (String title : List.of(ProjectSync.SUMMARY_VIEW, ProjectSync.CONSTITUENTS_VIEW)) {
                JsonNode view = null;
                for (JsonNode v : ls.read().views(synced)) if (v.get("data").get("title").asText().equals(title)) view = v;
                long same = ls.seed().view(imported, admin, view.get("data"));
                List<String> wanted = ls.read().viewTaskIds(view.get("id").asLong()).stream().map(syncedNames::get).toList();
                assertThat(wanted).as(title).isNotEmpty();
                assertThat(ls.read().viewTaskIds(same).stream().map(importedNames::get).toList()).as(title).isEqualTo(wanted);
            }
        }
    }

    @Test
    void eachTaskNamesItsImageAndItsDelegatesImagesStrongestFirst() throws IOException {
        ArrayNode tasks = export(tmp.resolve("into-folder"));

        assertThat(tasks).hasSize(result.order().size());
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode d = tasks.get(i).get("data");
            String item = result.order().get(i);
            assertThat(localPath(d.get("image").asText())).isEqualTo(item);
            assertThat(d.get("exemplar_rank").asText()).isEqualTo(String.format("%06d.000", i + 1));
            assertThat(d.get("exemplar_role").asText()).isEqualTo(i < result.summarySize() ? "delegate" : "constituent");
            List<String> delegates = new ArrayList<>();
            d.get("exemplar_delegates").forEach(x -> delegates.add(localPath(x.asText())));
            assertThat(delegates).isEqualTo(result.links().getOrDefault(item, List.of()).stream().map(Result.Link::delegate).toList());
        }
    }

    @Test
    void imagesArePathsBelowTheLocalFilesRootInTheGivenField() throws IOException {
        ArrayNode tasks = export(tmp.resolve("rooted.json"), "--source", ExportFixtures.SAMPLE.toString(),
                "--local-files-root", "samples", "--image-field", "photo");

        JsonNode first = tasks.get(0).get("data");
        assertThat(first.has("image")).isFalse();
        assertThat(first.get("photo").asText()).isEqualTo("/data/local-files/?d=rooms/images/" + result.order().get(0));
    }

    @Test
    void aTasksExportKeepsEveryTasksDataAndGivesTheOrderedOnesExemplarsFields(@TempDir Path dir) throws IOException {
        // an export of a project whose tasks name the sample's files beside it; one task's image is missing
        List<Path> images;
        try (Stream<Path> files = Files.list(ExportFixtures.sampleCopy(dir.resolve("images")))) {
            images = files.sorted().toList();
        }
        ArrayNode export = Json.MAPPER.createArrayNode();
        for (int i = 0; i < images.size(); i++) {
            ObjectNode t = export.addObject().put("id", 500 + i);
            t.putObject("data").put("image", "images/" + images.get(i).getFileName()).put("note", "kept " + i)
                    .put("exemplar_annotator", "someone from an earlier project");
            t.putArray("annotations");
        }
        export.addObject().put("id", 999).putObject("data").put("image", "images/gone.jpg").put("note", "unreadable");
        Path exportFile = dir.resolve("export.json"), tasksResult = dir.resolve("result.json");
        Files.writeString(exportFile, export.toString());
        CliFixtures.Outcome s = run("summarize", exportFile.toString(), "--out", tasksResult.toString());
        assertThat(s.code()).as(s.err()).isZero();
        Result byTask = Result.read(tasksResult);
        assertThat(byTask.errors()).extracting(Result.ItemError::item).containsExactly("999");

        Path out = dir.resolve("import.json");
        CliFixtures.Outcome o = run("export", tasksResult.toString(), "--format", "labelstudio", "--source", exportFile.toString(), "--to", out.toString());

        assertThat(o.code()).as(o.err()).isZero();
        JsonNode tasks = Json.MAPPER.readTree(out.toFile());
        assertThat(tasks).hasSize(export.size());
        Map<String, String> imageOf = new HashMap<>();
        for (JsonNode t : export) imageOf.put(t.get("id").asText(), t.get("data").get("image").asText());
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode d = tasks.get(i).get("data"), before = export.get(i).get("data");
            String id = export.get(i).get("id").asText();
            assertThat(tasks.get(i).fieldNames()).toIterable().containsExactly("data");
            assertThat(d.get("image")).isEqualTo(before.get("image"));
            assertThat(d.get("note")).isEqualTo(before.get("note"));
            assertThat(d.has("exemplar_annotator")).isFalse();
            int rank = byTask.order().indexOf(id);
            if (rank < 0) {
                assertThat(d.has("exemplar_rank")).as(id).isFalse();
                continue;
            }
            assertThat(d.get("exemplar_rank").asText()).isEqualTo(String.format("%06d.000", rank + 1));
            assertThat(d.get("exemplar_role").asText()).isEqualTo(rank < byTask.summarySize() ? "delegate" : "constituent");
            List<String> delegates = new ArrayList<>();
            d.get("exemplar_delegates").forEach(x -> delegates.add(x.asText()));
            assertThat(delegates).isEqualTo(byTask.links().getOrDefault(id, List.of()).stream().map(l -> imageOf.get(l.delegate())).toList());
        }
    }
}
