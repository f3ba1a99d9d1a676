package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.backend.ProjectSync;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar labelstudio apply}: a result computed elsewhere, written into a project through the backend's own
 * queue writer, leaves it as a sync of the same images does.
 */
class LabelStudioApplyTest {
    static final String CONFIG = RemoveWhileServingTest.CONFIG;
    static final List<String> VIEWS = List.of(ProjectSync.SUMMARY_VIEW, ProjectSync.CONSTITUENTS_VIEW, ProjectSync.REVIEW_VIEW);

    @TempDir
    Path tmp;
    LabelStudioStandIn ls;
    String lsUrl;
    Seed.SeededUser admin;
    Map<String, String> env;

    @BeforeEach
    void start() {
        ls = new LabelStudioStandIn();
        lsUrl = ls.start();
        admin = ls.seed().user("admin@example.com");
        env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                "EXEMPLAR_DATA_DIR", tmp.resolve("data").toString());
    }

    @AfterEach
    void stop() {
        ls.close();
    }

    /** Runs {@code exemplar labelstudio apply} with this test's settings. */
    CliFixtures.Outcome apply(long project, Path result) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == LabelStudioCommand.Apply.class) return cls.cast(new LabelStudioCommand.Apply(env::get));
                return CommandLine.defaultFactory().create(cls);
            }
        };
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), factory,
                "labelstudio", "apply", "--project", Long.toString(project), result.toString());
        return new CliFixtures.Outcome(code, out.toString(), err.toString());
    }

    /** A project of the sample's images, uploaded under the project's id; the data names each image's file. */
    long sampleProject() throws IOException {
        long project = ls.seed().project(admin, CONFIG);
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(ExportFixtures.SAMPLE)) {
            for (Path p : files.sorted().toList()) {
                datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p)),
                        "file", p.getFileName().toString()));
            }
        }
        ls.seed().importTasks(project, datas);
        return project;
    }

    /** Each task's Exemplar fields by image file name, its delegates named by file too. */
    Map<String, List<Object>> fieldsByName(long project) {
        Map<Long, String> names = new HashMap<>();
        for (JsonNode t : ls.read().tasks(project)) names.put(t.get("id").asLong(), t.get("data").get("file").asText());
        Map<String, List<Object>> out = new HashMap<>();
        for (JsonNode t : ls.read().tasks(project)) {
            JsonNode d = t.get("data");
            List<String> delegates = new ArrayList<>();
            d.path(ProjectSync.DELEGATES).forEach(id -> delegates.add(names.get(id.asLong())));
            out.put(names.get(t.get("id").asLong()), List.of(d.path(ProjectSync.RANK).asText(), d.path(ProjectSync.ROLE).asText(), delegates));
        }
        return out;
    }

    /** Each view of Exemplar's by title: its definition and its tasks, by file name, in the order it lists them. */
    Map<String, List<Object>> views(long project) {
        Map<Long, String> names = new HashMap<>();
        for (JsonNode t : ls.read().tasks(project)) names.put(t.get("id").asLong(), t.get("data").get("file").asText());
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (JsonNode v : ls.read().views(project)) {
            JsonNode d = v.get("data");
            List<String> listed = ls.read().viewTaskIds(v.get("id").asLong()).stream().map(names::get).toList();
            out.put(d.get("title").asText(), List.of(d.get("filters"), d.get("ordering"), listed));
        }
        return out;
    }

    @Test
    void aSummarizedResultAppliedLeavesTheRanksRolesDelegatesAndViewsASyncOfTheSameImagesWrites() throws Exception {
        Path resultFile = tmp.resolve("result.json");
        Result result = ExportFixtures.summarize(ExportFixtures.SAMPLE, resultFile);
        long synced = sampleProject(), applied = sampleProject();
        try (Store store = Store.open(tmp.resolve("data"));
             Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
            backend.sync().setup(synced, lsUrl, admin.personalAccessToken());
            assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();
        }

        CliFixtures.Outcome o = apply(applied, resultFile);

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("matched 36 of 36 result items to its 36 tasks (by image); wrote 36 tasks, "
                + result.summarySize() + " delegates").contains("Tasks no item matched: none").contains("Result items that matched no task: none");
        Map<String, List<Object>> want = fieldsByName(synced), got = fieldsByName(applied);
        assertThat(got.keySet()).hasSize(36).isEqualTo(want.keySet());
        for (String name : want.keySet()) assertThat(got.get(name)).as(name).isEqualTo(want.get(name));
        Map<String, List<Object>> wantViews = views(synced), gotViews = views(applied);
        assertThat(gotViews.keySet()).containsExactlyInAnyOrderElementsOf(VIEWS).isEqualTo(wantViews.keySet());
        for (String title : VIEWS) assertThat(gotViews.get(title)).as(title).isEqualTo(wantViews.get(title));

        // applied again, nothing changed: no task is written and no view made twice
        int patches = ls.read().taskPatches();
        CliFixtures.Outcome again = apply(applied, resultFile);
        assertThat(again.out()).contains("wrote 0 tasks");
        assertThat(ls.read().taskPatches()).isEqualTo(patches);
        assertThat(views(applied)).isEqualTo(gotViews);
    }

    long importImages(long project, String... urls) {
        List<Map<String, ?>> datas = new ArrayList<>();
        for (String u : urls) datas.add(Map.of("image", u));
        return ls.seed().importTasks(project, datas).get(0);
    }

    long taskOf(long project, String url) {
        for (JsonNode t : ls.read().tasks(project)) if (t.get("data").get("image").asText().equals(url)) return t.get("id").asLong();
        throw new AssertionError("no task shows " + url);
    }

    @Test
    void itemsMatchByImageUrlPathEndingOrFileNameAndAmbiguousOnesAreLeftOutAndReported() throws IOException {
        long project = ls.seed().project(admin, CONFIG);
        String kitchen = "/data/local-files/?d=photos/kitchen.jpg", bath = "/data/local-files/?d=photos/sub/bath%20room.jpg",
                remote = "https://images.example.com/x/42.png", dupA = "/data/local-files/?d=a/dup.jpg", dupB = "/data/local-files/?d=b/dup.jpg",
                other = "/data/local-files/?d=photos/other.jpg", upload = "/data/upload/5/0123abcd-one.jpg";
        importImages(project, kitchen, bath, remote, dupA, dupB, other, upload);
        Path file = tmp.resolve("result.json");
        // kitchen by file name, the remote image by its URL, bath by its path; dup.jpg names two tasks, and one.jpg is
        // named by two items: neither is guessed
        new Result(List.of("kitchen.jpg", remote, "dup.jpg", "sub/bath room.jpg", "missing.jpg", "c/one.jpg", "d/one.jpg"), 2,
                Map.of("dup.jpg", List.of(new Result.Link("kitchen.jpg", 1.0)),
                        "sub/bath room.jpg", List.of(new Result.Link(remote, 0.7), new Result.Link("kitchen.jpg", 0.3)),
                        "missing.jpg", List.of(new Result.Link("kitchen.jpg", 1.0)),
                        "c/one.jpg", List.of(new Result.Link("kitchen.jpg", 1.0)), "d/one.jpg", List.of(new Result.Link(remote, 1.0))),
                List.of(), List.of()).write(file);

        CliFixtures.Outcome o = apply(project, file);

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("matched 3 of 7 result items to its 7 tasks (by image); wrote 3 tasks, 2 delegates")
                .contains("Tasks no item matched: 4 (e.g. ").contains("Result items that matched no task: 1 (e.g. missing.jpg)")
                .contains("Result items left out as ambiguous: 3 (e.g. dup.jpg (names 2 tasks")
                .contains("c/one.jpg (task " + taskOf(project, upload) + " is also named by 2 items)");
        JsonNode k = ls.read().task(taskOf(project, kitchen)).get("data"), r = ls.read().task(taskOf(project, remote)).get("data"),
                b = ls.read().task(taskOf(project, bath)).get("data");
        assertThat(List.of(k.get(ProjectSync.ROLE).asText(), r.get(ProjectSync.ROLE).asText(), b.get(ProjectSync.ROLE).asText()))
                .containsExactly("delegate", "delegate", "constituent");
        assertThat(k.get(ProjectSync.RANK).asText()).isLessThan(r.get(ProjectSync.RANK).asText());
        assertThat(r.get(ProjectSync.RANK).asText()).isLessThan(b.get(ProjectSync.RANK).asText());
        assertThat(b.get(ProjectSync.DELEGATES).toString()).isEqualTo("[" + taskOf(project, remote) + "," + taskOf(project, kitchen) + "]");
        for (String untouched : List.of(dupA, dupB, other, upload)) {
            assertThat(ls.read().task(taskOf(project, untouched)).get("data").has(ProjectSync.RANK)).as(untouched).isFalse();
        }
    }

    @Test
    void aPartsFolderOfTaskIdsIsAppliedByTaskId() throws IOException {
        long project = ls.seed().project(admin, CONFIG);
        List<Long> ids = ls.seed().importTasks(project, List.of(Map.of("image", "/data/upload/1/a.jpg"),
                Map.of("image", "/data/upload/1/b.jpg"), Map.of("image", "/data/upload/1/c.jpg")));
        String a = ids.get(0).toString(), b = ids.get(1).toString(), c = ids.get(2).toString();
        Path parts = tmp.resolve("parts");
        ResultParts.write(new Result(List.of(c, a, b, "999999"), 1, Map.of(a, List.of(new Result.Link(c, 1.0)),
                b, List.of(new Result.Link(c, 1.0)), "999999", List.of(new Result.Link(c, 1.0))), List.of(), List.of()), parts, 2, true);

        CliFixtures.Outcome o = apply(project, parts);

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("matched 3 of 4 result items to its 3 tasks (by task id); wrote 3 tasks, 1 delegates")
                .contains("Result items that matched no task: 1 (e.g. 999999)");
        assertThat(ls.read().task(ids.get(2)).get("data").get(ProjectSync.ROLE).asText()).isEqualTo("delegate");
        assertThat(ls.read().task(ids.get(0)).get("data").get(ProjectSync.DELEGATES).toString()).isEqualTo("[" + c + "]");
    }

    @Test
    void whenNothingMatchesItSaysSoInOneErrorLineAndWritesNothing() throws IOException {
        long project = ls.seed().project(admin, CONFIG);
        long task = importImages(project, "/data/local-files/?d=photos/kitchen.jpg");
        Path file = tmp.resolve("result.json");
        new Result(List.of("garden.jpg", "porch.jpg"), 1, Map.of("porch.jpg", List.of(new Result.Link("garden.jpg", 1.0))),
                List.of(), List.of()).write(file);

        CliFixtures.Outcome o = apply(project, file);

        assertThat(o.code()).isNotZero();
        assertThat(o.err().lines().toList()).containsExactly("error: no item of " + file + " matched a task of project " + project
                + "; nothing written");
        assertThat(o.out()).contains("Tasks no item matched: 1 (e.g. " + task + ")").contains("Result items that matched no task: 2");
        assertThat(ls.read().task(task).get("data").has(ProjectSync.RANK)).isFalse();
        assertThat(ls.read().views(project)).isEmpty();
    }

    @Test
    void whileServeHoldsTheDataDirectoryItRefusesAndSaysWhy() throws IOException {
        long project = ls.seed().project(admin, CONFIG);
        Path file = tmp.resolve("result.json");
        new Result(List.of("a.jpg"), 1, Map.of(), List.of(), List.of()).write(file);
        try (Store held = Store.open(tmp.resolve("data"))) {
            CliFixtures.Outcome o = apply(project, file);

            assertThat(o.code()).isNotZero();
            assertThat(o.err().lines().toList()).containsExactly("error: the data directory " + tmp.resolve("data")
                    + " is in use by `exemplar serve`: stop it, then apply");
        }
    }
}
