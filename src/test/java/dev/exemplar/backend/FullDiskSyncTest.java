package dev.exemplar.backend;

import dev.exemplar.config.Manifest;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.FaultyDisk;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk under the data directory fills up during a sync: the project's status says so, and once
 * there is space again the next sync ends as one never interrupted would have.
 */
class FullDiskSyncTest {
    static final String VERSION = Manifest.load().modelVersion();

    @TempDir Path dataDir;
    @TempDir Path cleanDir;
    LabelStudioStandIn ls;
    long project;
    String token;
    final FaultyDisk disk = new FaultyDisk();
    Store store;
    SyncService sync;
    StoreService service;

    @BeforeEach
    void project() throws IOException {
        ls = new LabelStudioStandIn();
        ls.start();
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        project = ls.seed().project(admin, ProjectSyncTest.CONFIG);
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : files.sorted().toList()) {
                datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p))));
            }
        }
        ls.seed().importTasks(project, datas);
        token = admin.personalAccessToken();
        store = disk.open(dataDir);
        sync = SyncService.start(store, ImageLoader.defaults(),
                new SyncService.Options(new SyncService.Connection("", ""), VERSION, Pipeline.Options.defaults()));
        service = new StoreService(VERSION, store, Background.of(sync), null);
    }

    @AfterEach
    void close() {
        sync.close();
        store.close();
        ls.close();
    }

    /** What Label Studio does again and again: /setup, which starts the sync of a project not done. */
    void setupAndWait() throws InterruptedException {
        sync.setup(project, ls.baseUrl(), token);
        assertThat(sync.awaitIdle(Duration.ofSeconds(180))).as("sync finished").isTrue();
    }

    record Placed(long task, Integer rank, String role) { }

    static List<Placed> placed(Store s, long project) {
        return s.tasks().list(project).stream().map((TaskStore.Task t) -> new Placed(t.taskId(), t.rank(), String.valueOf(t.role()))).toList();
    }

    @Test
    void theStatusNamesTheFullDiskAndTheSyncCompletesOnceThereIsSpace() throws InterruptedException {
        List<Placed> uninterrupted;
        OrderStore.OrderResult uninterruptedOrder;
        try (Store clean = Store.open(cleanDir)) {
            new ProjectSync(clean, LabelStudioClient.builder(ls.baseUrl(), token).build(), ImageLoader.defaults(), VERSION)
                    .run(project, Pipeline.Options.defaults(), Progress.NONE);
            uninterrupted = placed(clean, project);
            uninterruptedOrder = clean.orders().read(project).orElseThrow();
        }

        disk.fillAfter(12); // past the project's creation and its tasks, into their features
        setupAndWait();

        assertThat(disk.failures()).isPositive();
        Service.Status status = service.status(project).orElseThrow();
        assertThat(status.lastError()).startsWith("the disk holding " + dataDir + " is full: ")
                .doesNotContain("no transaction is active");
        assertThat(status.phase()).as("where the disk filled").isEqualTo("features");
        assertThat(store.projects().get(project).orElseThrow().lastError()).as("the store itself could not keep it").isNull();

        disk.heal();
        setupAndWait();

        status = service.status(project).orElseThrow();
        assertThat(status.lastError()).isNull();
        assertThat(status.phase()).isEqualTo("done");
        assertThat(placed(store, project)).isEqualTo(uninterrupted);
        assertThat(store.orders().read(project).orElseThrow()).isEqualTo(uninterruptedOrder);
    }
}
