package dev.exemplar.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueueStoreTest {
    @TempDir Path dir;

    @Test
    void rankKeysAreKeptForKnownTasksOnlyAndSurviveARestart() {
        try (Store store = OrderStoreTest.withTasks(dir, 10, 20)) {
            store.queue().keys(1, Map.of(10L, "000001.000", 20L, "000002.000", 99L, "000003.000"));
            store.queue().keys(1, Map.of(20L, "000000.500"));
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.queue().keys(1)).isEqualTo(Map.of(10L, "000001.000", 20L, "000000.500"));
            store.tasks().delete(1, List.of(10L));
            assertThat(store.queue().keys(1)).as("a deleted task's key goes with it").containsOnlyKeys(20L);
        }
    }

    @Test
    void aNewFrontIsDueUntilWrittenAndAChangeDuringAWriteStaysDue() {
        try (Store store = OrderStoreTest.withTasks(dir, 10, 20, 30)) {
            assertThat(store.queue().due()).isEmpty();
            assertThat(store.queue().front(1).tasks()).isEmpty();

            store.queue().front(1, List.of(30L, 20L));
            QueueStore.Front first = store.queue().front(1);
            assertThat(first.tasks()).containsExactly(30L, 20L);
            assertThat(store.queue().due()).containsExactly(new QueueStore.Due(1, first.version()));

            store.queue().front(1, List.of(10L)); // chosen while the first front was being written
            store.queue().written(1, first.version());
            assertThat(store.queue().front(1).tasks()).containsExactly(10L);
            assertThat(store.queue().due()).as("the later front is still to write").hasSize(1);

            store.queue().written(1, store.queue().front(1).version());
            assertThat(store.queue().due()).isEmpty();
            store.queue().written(1, first.version());
            assertThat(store.queue().due()).as("an older version written late does not make it due again").isEmpty();
        }
    }

    @Test
    void forgettingAProjectsQueueLeavesNothingDue() {
        try (Store store = OrderStoreTest.withTasks(dir, 10, 20)) {
            store.queue().keys(1, Map.of(10L, "000001.000"));
            store.queue().front(1, List.of(20L));
            store.queue().forget(1);
            assertThat(store.queue().keys(1)).isEmpty();
            assertThat(store.queue().front(1).tasks()).isEmpty();
            assertThat(store.queue().due()).isEmpty();
        }
    }
}
