package dev.exemplar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.exemplar.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The review page's data, read by SQL a page at a time. */
class ReviewPagesTest {
    @TempDir Path dir;

    /** A propagated label on {@code task}, drawing on delegates with these weights, the first given largest. */
    private static void propose(Store store, long task, String label, double score, String sources) {
        store.labels().want(1, task, new LabelStore.Suggestion(Json.MAPPER.createArrayNode(), score), List.of(label), score, weights(sources));
    }

    private static Map<Long, Double> weights(String sources) {
        try {
            return Json.MAPPER.readValue(sources, new TypeReference<LinkedHashMap<Long, Double>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void delegatesComeLeastCertainFirstWithTheirConstituentsAndPageByDelegate() {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            propose(store, 11, "cat", 0.9, "{\"1\": 0.7, \"2\": 0.3}");
            propose(store, 12, "cat", 0.4, "{\"1\": 1.0}");
            propose(store, 21, "dog", 0.6, "{\"2\": 0.6, \"1\": 0.4}");
            propose(store, 31, "dog", 0.2, "{\"3\": 0.5, \"4\": 0.5}"); // equal weights: the first named
            propose(store, 41, "cow", 0.95, "{\"4\": 1.0}");
            store.labels().state(1, 41, ReviewState.ACCEPTED);

            Map<Long, List<LabelStore.Reviewed>> all = store.labels().review(1, null, 0, 1, 0, 10);
            assertThat(all.keySet()).as("by the least certain proposed constituent; an accepted one counts as certain")
                    .containsExactly(3L, 1L, 2L, 4L);
            assertThat(all.get(1L)).extracting(LabelStore.Reviewed::task).containsExactly(12L, 11L);
            assertThat(store.labels().review(1, null, 0, 1, 1, 2).keySet()).containsExactly(1L, 2L);
            assertThat(store.labels().reviewDelegates(1, null, 0, 1)).isEqualTo(4);

            assertThat(store.labels().review(1, "dog", 0, 1, 0, 10).keySet()).containsExactly(3L, 2L);
            assertThat(store.labels().review(1, null, 0.5, 0.92, 0, 10)).containsOnlyKeys(1L, 2L);
            assertThat(store.labels().reviewDelegates(1, "cat", 0.5, 1)).isEqualTo(1);

            assertThat(store.labels().reviewCounts(1)).isEqualTo(new LabelStore.ReviewCounts(4, 1, 0));
            assertThat(store.labels().reviewLabels(1)).containsExactly("cat", "cow", "dog");
        }
    }

    @Test
    void aLabelWithdrawnIsNoLongerShownButARejectedOneStays() {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            propose(store, 11, "cat", 0.9, "{\"1\": 1.0}");
            propose(store, 12, "cat", 0.5, "{\"1\": 1.0}");
            store.labels().want(1, 11, null, List.of(), null, Map.of());
            store.labels().state(1, 12, ReviewState.REJECTED);
            store.labels().want(1, 12, null, List.of("cat"), 0.5, Map.of(1L, 1.0));

            assertThat(store.labels().review(1, null, 0, 1, 0, 10).get(1L)).extracting(LabelStore.Reviewed::task, LabelStore.Reviewed::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(12L, ReviewState.REJECTED));
            assertThat(store.labels().reviewCounts(1)).isEqualTo(new LabelStore.ReviewCounts(0, 0, 1));
        }
    }
}
