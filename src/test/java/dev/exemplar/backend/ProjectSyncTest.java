package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.exemplar.config.Manifest;
import dev.exemplar.features.FeatureCodec;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.FeatureStore;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;
import dev.exemplar.summary.FeatureMethod;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync against the Label Studio stand-in, on a project made of the bundled sample's 36 photographs. */
class ProjectSyncTest {
    static final String CONFIG = "<View><Image name=\"image\" value=\"$image\"/>"
            + "<Choices name=\"scene\" toName=\"image\"><Choice value=\"a\"/></Choices></View>";
    static final String VERSION = Manifest.load().modelVersion();

    @TempDir
    Path dataDir;
    LabelStudioStandIn ls;
    LabelStudioClient client;
    Store store;
    long project;
    String adminAccess;
    final Map<Long, JsonNode> imported = new HashMap<>();

    @BeforeEach
    void project() throws IOException {
        ls = new LabelStudioStandIn();
        String base = ls.start();
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        project = ls.seed().project(admin, CONFIG);
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : files.sorted().toList()) {
                String url = ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p));
                datas.add(Map.of("image", url, "source", "sample:" + p.getFileName()));
            }
        }
        ls.seed().importTasks(project, datas);
        for (JsonNode t : ls.read().tasks(project)) imported.put(t.get("id").asLong(), t.get("data").deepCopy());
        client = LabelStudioClient.builder(base, admin.personalAccessToken()).build();
        adminAccess = admin.accessToken();
        store = Store.open(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
        ls.close();
    }

    ProjectSync.Outcome sync(ProjectSync s) {
        return s.run(project, Pipeline.Options.defaults(), Progress.NONE);
    }

    long viewId(String title) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode v : ls.read().views(project)) if (v.path("data").path("title").asText().equals(title)) ids.add(v.get("id").asLong());
        assertThat(ids).as("views titled %s", title).hasSize(1);
        return ids.get(0);
    }

    @Test
    void theSummaryViewListsTheDelegatesInExemplarsOrderAndNothingElse() {
        ProjectSync.Outcome o = sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));

        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        assertThat(o.tasks()).isEqualTo(36);
        assertThat(o.errors()).isZero();
        assertThat(ls.read().viewTaskIds(viewId(ProjectSync.SUMMARY_VIEW))).containsExactlyElementsOf(r.order().subList(0, r.summarySize()));
        assertThat(ls.read().viewTaskIds(viewId(ProjectSync.CONSTITUENTS_VIEW))).containsExactlyElementsOf(r.order().subList(r.summarySize(), 36));
        // Label Studio refuses a model version with no predictions and no backend of that title: left alone
        assertThat(ls.read().project(project).get("model_version").asText()).isEmpty();
    }

    @Test
    void withLearnedFeaturesEachImageGoesThroughTheNetworkOnceAndItsFeaturesAreKeptByContent() {
        ProjectSync.Outcome combined = sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        Pipeline.Options d = Pipeline.Options.defaults();
        Pipeline.Options learned = new Pipeline.Options(d.summarySize(), d.maxDelegates(), d.embeddings(), d.loader(), FeatureMethod.LEARNED);
        List<String> hashes = store.tasks().list(project).stream().map(TaskStore.Task::contentHash).distinct().toList();
        assertThat(store.tasks().withoutLearned(project, ProjectSync.LEARNED_FORMAT)).hasSize(36);

        ProjectSync.Outcome o = new ProjectSync(store, client, ImageLoader.defaults(), VERSION).run(project, learned, Progress.NONE);
        assertThat(o.errors()).isZero();
        assertThat(o.decoded()).as("descriptors are read from the store: only the network runs").isZero();
        Map<String, float[]> vectors = store.features().learned(hashes, ProjectSync.LEARNED_FORMAT);
        assertThat(vectors).containsOnlyKeys(hashes);
        for (float[] v : vectors.values()) {
            double norm = 0;
            for (float x : v) norm += x * x;
            assertThat(v).hasSize(1792);
            assertThat(Math.sqrt(norm)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-4));
        }
        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        assertThat(r.order()).hasSize(36);
        System.out.println("summary size: combined " + combined.summarySize() + ", learned " + o.summarySize());
        assertThat(store.tasks().withoutLearned(project, ProjectSync.LEARNED_FORMAT)).as("nothing left to fetch again").isEmpty();
    }

    @Test
    void theReviewViewListsNoConstituentWithOnlyAnotherModelsPrediction() {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        for (long c : r.order().subList(r.summarySize(), r.order().size())) {
            ls.seed().prediction(c, "someone-else", 0.5, SpreadingFixture.choices("a"));
        }
        assertThat(ls.read().viewTaskIds(viewId(ProjectSync.REVIEW_VIEW))).isEmpty();
    }

    @Test
    void anAnnotatorLabellingAsDisplayedGetsTheDelegatesInOrderAndNeverAConstituent() throws IOException {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();

        List<Long> served = labelAsDisplayed(ls.seed().user("annotator@example.com"), ProjectSync.SUMMARY_VIEW);

        assertThat(served).containsExactlyElementsOf(r.order().subList(0, r.summarySize()));
    }

    /** Serves and labels tasks of a view the way Label Studio's "Label Tasks As Displayed" does, until it is empty. */
    List<Long> labelAsDisplayed(Seed.SeededUser user, String viewTitle) throws IOException {
        long view = viewId(viewTitle);
        JsonNode data = ls.read().views(project).findValues("data").stream()
                .filter(d -> d.path("title").asText().equals(viewTitle)).findFirst().orElseThrow();
        String body = "{\"filters\": " + data.get("filters") + ", \"ordering\": " + data.get("ordering") + "}";
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Long> served = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            okhttp3.Request req = new okhttp3.Request.Builder()
                    .url(ls.baseUrl() + "/api/dm/actions?id=next_task&project=" + project + "&tabID=" + view)
                    .header("Authorization", "Bearer " + user.accessToken())
                    .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
            try (okhttp3.Response resp = http.newCall(req).execute()) {
                if (resp.code() != 200) break;
                long id = json.readTree(resp.body().string()).get("id").asLong();
                served.add(id);
                ls.seed().annotation(id, user, json.readTree("[]"), false);
            }
        }
        return served;
    }

    @Test
    void twoAnnotatorsWorkingAtOnceNeverGetTheSameDelegateAndEachFollowsTheRank() throws Exception {
        Seed.SeededUser alice = ls.seed().user("alice@example.com"), bob = ls.seed().user("bob@example.com");
        new ProjectSync(store, client, ImageLoader.defaults(), VERSION)
                .run(project, Pipeline.Options.defaults(), List.of(alice.email(), bob.email()), Progress.NONE);
        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        List<Long> delegates = r.order().subList(0, r.summarySize());

        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        var a = two.submit(() -> labelAsDisplayed(alice, ProjectSync.ANNOTATOR_VIEW + alice.email()));
        var b = two.submit(() -> labelAsDisplayed(bob, ProjectSync.ANNOTATOR_VIEW + bob.email()));
        List<Long> byAlice = a.get(), byBob = b.get();
        two.shutdown();

        assertThat(byAlice).doesNotContainAnyElementsOf(byBob);
        List<Long> together = new ArrayList<>(byAlice);
        together.addAll(byBob);
        assertThat(together).containsExactlyInAnyOrderElementsOf(delegates);
        for (List<Long> one : List.of(byAlice, byBob)) {
            for (int i = 1; i < one.size(); i++) assertThat(delegates.indexOf(one.get(i))).isGreaterThan(delegates.indexOf(one.get(i - 1)));
        }
        // shared out by rank: each gets every other delegate
        assertThat(byAlice.size() - byBob.size()).isBetween(0, 1);
    }

    @Test
    void deletedTasksLeaveTheOrderAndTheirConstituentsAreLinkedAgain() {
        ProjectSync s = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        sync(s);
        OrderStore.OrderResult before = store.orders().read(project).orElseThrow();
        List<Long> deleted = before.order().subList(0, 2); // the two strongest delegates
        for (long id : deleted) {
            okhttp3.Request req = new okhttp3.Request.Builder().url(ls.baseUrl() + "/api/tasks/" + id + "/")
                    .header("Authorization", "Bearer " + adminAccess).delete().build();
            try (okhttp3.Response resp = new okhttp3.OkHttpClient().newCall(req).execute()) {
                assertThat(resp.code()).isIn(200, 204);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        sync(s);

        OrderStore.OrderResult after = store.orders().read(project).orElseThrow();
        assertThat(after.order()).hasSize(34).doesNotContainAnyElementsOf(deleted);
        after.links().values().forEach(links -> links.forEach(l -> assertThat(deleted).doesNotContain(l.delegate())));
        for (long c : after.order().subList(after.summarySize(), 34)) assertThat(after.links().get(c)).isNotEmpty();
    }

    @Test
    void removingExemplarLeavesTheProjectAsItWas() throws IOException {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        long task = imported.keySet().iterator().next();
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree("[]");
        client.createPrediction(task, (ArrayNode) result, 0.5, VERSION);
        client.createPrediction(task, (ArrayNode) result, 0.7, "someone-else");

        ProjectRemoval.Outcome o = ProjectRemoval.remove(project, client, store, VERSION);

        assertThat(o.backends()).as("none was connected").isZero();
        assertThat(o.views()).isEqualTo(3);
        assertThat(o.tasks()).isEqualTo(36);
        assertThat(o.predictions()).isEqualTo(1);
        for (JsonNode t : ls.read().tasks(project)) assertThat(t.get("data")).isEqualTo(imported.get(t.get("id").asLong()));
        assertThat(ls.read().views(project)).isEmpty();
        assertThat(ls.read().predictions(task)).hasSize(1);
        assertThat(ls.read().predictions(task).get(0).get("model_version").asText()).isEqualTo("someone-else");
        assertThat(store.projects().get(project)).isEmpty();
    }

    @Test
    void aTasksExportRunThroughSummarizeGivesTheSameOrderAsTheSync(@TempDir Path work) throws IOException {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        // the export names each task's image by a local path, as an export of a local-files project does
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        ArrayNode export = json.createArrayNode();
        for (JsonNode t : ls.read().tasks(project)) {
            String file = t.get("data").get("source").asText().substring("sample:".length());
            export.addObject().put("id", t.get("id").asLong()).putObject("data")
                    .put("image", Path.of("samples/rooms/images", file).toAbsolutePath().toString());
        }
        Path exportFile = work.resolve("export.json"), out = work.resolve("result.json");
        json.writeValue(exportFile.toFile(), export);

        int code = dev.exemplar.cli.Main.execute(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()),
                "summarize", exportFile.toString(), "--out", out.toString());

        assertThat(code).isZero();
        List<Long> fromCli = new ArrayList<>();
        json.readTree(out.toFile()).get("order").forEach(n -> fromCli.add(Long.parseLong(n.asText())));
        assertThat(fromCli).isEqualTo(store.orders().read(project).orElseThrow().order());
    }

    @Test
    void everyOtherDataFieldIsKeptAndConstituentsNameTheirDelegates() {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));

        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        for (JsonNode t : ls.read().tasks(project)) {
            long id = t.get("id").asLong();
            JsonNode data = t.get("data");
            assertThat(data.get("image")).isEqualTo(imported.get(id).get("image"));
            assertThat(data.get("source")).isEqualTo(imported.get(id).get("source"));
            int rank = r.order().indexOf(id);
            assertThat(data.get(ProjectSync.RANK).asText()).as("a first numbering").isEqualTo(String.format("%06d.000", rank + 1));
            ArrayNode delegates = (ArrayNode) data.get(ProjectSync.DELEGATES);
            if (rank < r.summarySize()) {
                assertThat(data.get(ProjectSync.ROLE).asText()).isEqualTo("delegate");
                assertThat(delegates).isEmpty();
            } else {
                assertThat(data.get(ProjectSync.ROLE).asText()).isEqualTo("constituent");
                assertThat(delegates).isNotEmpty();
                for (JsonNode d : delegates) assertThat(r.order().indexOf(d.asLong())).isLessThan(r.summarySize());
            }
        }
    }

    @Test
    void importedTasksAreWrittenWithTheTasksTheNewOrderChangedAndNoOther() throws IOException {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        Map<Long, JsonNode> before = new HashMap<>();
        for (JsonNode t : ls.read().tasks(project)) before.put(t.get("id").asLong(), t.get("data").deepCopy());
        List<Map<String, ?>> more = new ArrayList<>();
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 6; i++) more.add(Map.of("image", ls.seed().upload(project + "/new" + i + ".png", BackendEndToEndTest.drawing(random))));
        List<Long> added = ls.seed().importTasks(project, more);
        int patchesBefore = ls.read().taskPatches();

        ProjectSync.Outcome o = sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));

        int changed = 0;
        for (JsonNode t : ls.read().tasks(project)) {
            long id = t.get("id").asLong();
            if (before.containsKey(id) && !before.get(id).equals(t.get("data"))) changed++;
        }
        assertThat(ls.read().taskPatches() - patchesBefore).as("one write per new or changed task")
                .isEqualTo(o.patched()).isEqualTo(added.size() + changed);
        // the order is extended: the others keep rank and role, and change links only where a new delegate is nearer
        assertThat(changed).isLessThanOrEqualTo(added.size());
        OrderStore.OrderResult r = store.orders().read(project).orElseThrow();
        assertThat(ls.read().viewTaskIds(viewId(ProjectSync.SUMMARY_VIEW))).containsExactlyElementsOf(r.order().subList(0, r.summarySize()));
        assertThat(ls.read().viewTaskIds(viewId(ProjectSync.CONSTITUENTS_VIEW)))
                .containsExactlyElementsOf(r.order().subList(r.summarySize(), r.order().size()));
    }

    @Test
    void syncingAgainChangesNothingAndDecodesNothing() {
        ProjectSync s = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        ProjectSync.Outcome first = sync(s);
        ProjectSync.Outcome second = sync(s), third = sync(s);

        assertThat(first.decoded()).as("byte-identical copies share one decoding").isEqualTo(distinctImages());
        assertThat(first.decoded() + first.reused()).isEqualTo(36);
        assertThat(first.patched()).isEqualTo(36);
        assertThat(second.patched()).isZero();
        assertThat(third.patched()).isZero();
        assertThat(s.decoded()).as("images decoded over three syncs").isEqualTo(distinctImages());
        assertThat(ls.read().views(project)).hasSize(3);
        viewId(ProjectSync.SUMMARY_VIEW);
        viewId(ProjectSync.CONSTITUENTS_VIEW);
    }

    static long distinctImages() {
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            return files.map(p -> {
                try {
                    return ProjectSync.sha256(Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).distinct().count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void afterARestartNoImageIsDecodedAgainAndTheOrderIsTheSame() {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        List<Long> before = store.orders().read(project).orElseThrow().order();
        store.close();

        store = Store.open(dataDir);
        ProjectSync again = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        ProjectSync.Outcome o = sync(again);

        assertThat(again.decoded()).isZero();
        assertThat(o.patched()).isZero();
        assertThat(store.orders().read(project).orElseThrow().order()).isEqualTo(before);
    }

    @Test
    void aSyncStoppedMidwayResumesWithoutDecodingAnyImageTwiceAndEndsWithTheSameRanks(@TempDir Path other) {
        // the same project synced without interruption, in a database of its own
        List<Long> uninterrupted;
        try (Store clean = Store.open(other)) {
            new ProjectSync(clean, client, ImageLoader.defaults(), VERSION).run(project, Pipeline.Options.defaults(), Progress.NONE);
            uninterrupted = clean.orders().read(project).orElseThrow().order();
        }
        class Stop extends RuntimeException { }
        Progress stopAfterTen = new Progress() {
            final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public void phase(String name, long total) { }

            @Override
            public void advance(long steps) {
                if (done.addAndGet((int) steps) >= 10) throw new Stop();
            }
        };
        ProjectSync first = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.run(project, Pipeline.Options.defaults(), stopAfterTen))
                .isInstanceOf(Stop.class);
        store.close();

        store = Store.open(dataDir);
        ProjectSync second = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        second.run(project, Pipeline.Options.defaults(), Progress.NONE);

        assertThat(first.decoded()).as("stopped midway").isPositive().isLessThan((int) distinctImages());
        assertThat(first.decoded() + second.decoded()).as("every image decoded once in all").isEqualTo(distinctImages());
        assertThat(store.orders().read(project).orElseThrow().order()).isEqualTo(uninterrupted);
    }

    @Test
    void scenePairsAreKeptByContentForLaterSyncs() {
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));

        List<String> hashes = store.tasks().list(project).stream().map(TaskStore.Task::contentHash)
                .filter(Objects::nonNull).toList();
        Map<FeatureStore.Pair, Integer> pairs = store.features().scenePairs(hashes, FeatureCodec.FORMAT);
        assertThat(pairs).as("the photographs' checked pairs").hasSizeGreaterThan(hashes.size() / 2);
        assertThat(pairs.values()).as("views of one scene among them").anyMatch(m -> m >= 20);
    }

    @Test
    void aShortLivedAccessTokenIsRefreshedDuringTheSync() {
        ls.accessTokenLifetime(java.time.Duration.ofSeconds(30));
        sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));
        ls.clock().advance(java.time.Duration.ofMinutes(5)); // every access token issued so far has expired

        ProjectSync.Outcome o = sync(new ProjectSync(store, client, ImageLoader.defaults(), VERSION));

        assertThat(o.tasks()).isEqualTo(36);
        assertThat(o.errors()).isZero();
    }

    @Test
    void aViewDeletedInLabelStudioIsMadeAgain() {
        ProjectSync s = new ProjectSync(store, client, ImageLoader.defaults(), VERSION);
        sync(s);
        client.deleteView(viewId(ProjectSync.SUMMARY_VIEW));

        sync(s);

        assertThat(ls.read().views(project)).hasSize(3);
        viewId(ProjectSync.SUMMARY_VIEW);
    }
}
