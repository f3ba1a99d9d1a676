package dev.exemplar.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStoreTest {
    @TempDir Path dir;

    @Test
    void aChangedImageReferenceForgetsTheContentHash() {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            store.tasks().upsert(1, Map.of(1L, "a.jpg", 2L, "b.jpg"));
            store.tasks().content(1, 1, "h1");
            store.tasks().content(1, 2, "h2");
            store.tasks().error(1, 2, "truncated");

            store.tasks().upsert(1, Map.of(1L, "a.jpg", 2L, "b2.jpg"));
            assertThat(store.tasks().get(1, 1).orElseThrow().contentHash()).isEqualTo("h1");
            TaskStore.Task moved = store.tasks().get(1, 2).orElseThrow();
            assertThat(moved.contentHash()).isNull();
            assertThat(moved.error()).isNull();
            assertThat(store.tasks().withoutContent(1)).extracting(TaskStore.Task::taskId).containsExactly(2L);
        }
    }

    @Test
    void tasksBelongToAKnownProjectAndGoWithIt() {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.tasks().upsert(9, Map.of(1L, "a.jpg"))).isInstanceOf(StoreException.class);
            store.projects().ensure(9);
            store.tasks().upsert(9, Map.of(1L, "a.jpg", 2L, "b.jpg"));
            store.views().put(9, "summary", 55);
            assertThat(store.tasks().ids(9)).containsExactlyInAnyOrder(1L, 2L);
            assertThat(store.tasks().delete(9, List.of(2L, 3L))).isEqualTo(1);
            assertThat(store.projects().delete(9)).isTrue();
            assertThat(store.tasks().ids(9)).isEmpty();
            assertThat(store.views().all(9)).isEmpty();
        }
    }

    @Test
    void outcomesOfABatchAreRecordedTogetherAndATaskDeletedMeanwhileIsSkipped() {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            store.tasks().upsert(1, Map.of(1L, "a.jpg", 2L, "b.jpg", 3L, "c.jpg"));
            store.tasks().error(1, 1, "an earlier failure");

            store.tasks().outcomes(1, Map.of(1L, "h1", 9L, "h9"), Map.of(2L, "truncated"));

            assertThat(store.tasks().get(1, 1).orElseThrow().contentHash()).isEqualTo("h1");
            assertThat(store.tasks().get(1, 1).orElseThrow().error()).as("a content clears the old error").isNull();
            assertThat(store.tasks().get(1, 2).orElseThrow().error()).isEqualTo("truncated");
            assertThat(store.tasks().get(1, 9)).isEmpty();
            assertThat(store.tasks().withoutContent(1)).extracting(TaskStore.Task::taskId).containsExactly(3L);
        }
    }
}
