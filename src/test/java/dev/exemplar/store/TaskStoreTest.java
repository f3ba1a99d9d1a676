package dev.exemplar.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStoreTest {
    @TempDir Path dir;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode fields(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void onlyTasksWhoseFieldsChangedAreReported() throws Exception {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            store.tasks().upsert(1, Map.of(1L, "a.jpg", 2L, "b.jpg", 3L, "c.jpg"));
            store.tasks().written(1, Map.of(
                    1L, fields("{\"exemplar_rank\": 0, \"exemplar_role\": \"delegate\"}"),
                    2L, fields("{\"exemplar_rank\": 1, \"exemplar_links\": [{\"delegate\": 1, \"weight\": 0.5}]}")));

            Map<Long, ObjectNode> wanted = Map.of(
                    1L, fields("{\"exemplar_role\": \"delegate\", \"exemplar_rank\": 0.0}"),  // same values, other key order, 0 as 0.0
                    2L, fields("{\"exemplar_rank\": 1, \"exemplar_links\": [{\"delegate\": 1, \"weight\": 0.75}]}"),
                    3L, fields("{\"exemplar_rank\": 2, \"exemplar_group\": null}"));
            Map<Long, ObjectNode> changed = store.tasks().changedFields(1, wanted);

            assertThat(changed).containsOnlyKeys(2L, 3L);
            assertThat(changed.get(2L)).isEqualTo(fields("{\"exemplar_links\": [{\"delegate\": 1, \"weight\": 0.75}]}"));
            assertThat(changed.get(3L)).as("a null never written is no change").isEqualTo(fields("{\"exemplar_rank\": 2}"));

            store.tasks().written(1, changed);
        }
        try (Store store = Store.open(dir)) {
            Map<Long, ObjectNode> same = Map.of(
                    2L, fields("{\"exemplar_rank\": 1, \"exemplar_links\": [{\"delegate\": 1, \"weight\": 0.75}]}"),
                    3L, fields("{\"exemplar_rank\": 2}"));
            assertThat(store.tasks().changedFields(1, same)).as("remembered across a restart").isEmpty();
        }
    }

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
}
