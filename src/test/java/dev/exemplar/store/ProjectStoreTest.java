package dev.exemplar.store;

import dev.exemplar.store.ProjectStore.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectStoreTest {
    @TempDir Path dir;

    @Test
    void aProjectsSetupAndPhaseAreWhereARestartResumes() {
        TestClock clock = new TestClock(Instant.parse("2024-05-01T10:00:00Z"));
        try (Store store = Store.open(dir, Store.Options.DEFAULTS.withClock(clock))) {
            store.projects().ensure(3);
            store.projects().configure(3, "cfg1", "image", "{\"summary_size\": \"auto\"}", "exemplar-0.1");
            store.projects().phase(3, SyncPhase.FEATURES, 1000);
            clock.advance(Duration.ofSeconds(5));
            store.projects().progress(3, 250, 1000);
            store.projects().error(3, "task 17: HTTP 404");
            store.projects().ensure(3); // no effect on an existing project
            store.views().put(3, "summary", 41);
            store.views().put(3, "summary", 42);
        }
        try (Store store = Store.open(dir)) {
            Project p = store.projects().get(3).orElseThrow();
            assertThat(p.labelConfigHash()).isEqualTo("cfg1");
            assertThat(p.imageField()).isEqualTo("image");
            assertThat(p.settingsJson()).isEqualTo("{\"summary_size\": \"auto\"}");
            assertThat(p.modelVersion()).isEqualTo("exemplar-0.1");
            assertThat(p.syncPhase()).isEqualTo(SyncPhase.FEATURES);
            assertThat(p.progressDone()).isEqualTo(250);
            assertThat(p.progressTotal()).isEqualTo(1000);
            assertThat(p.summarySize()).isNull();
            assertThat(p.lastError()).isEqualTo("task 17: HTTP 404");
            assertThat(p.updatedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:05Z"));
            assertThat(store.projects().all()).extracting(Project::id).containsExactly(3L);
            assertThat(store.views().get(3, "summary")).contains(42L);
        }
    }

    @Test
    void settingsMustBeJson() {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.projects().configure(1, "c", "image", "not json", "v")).isInstanceOf(StoreException.class);
        }
    }
}
