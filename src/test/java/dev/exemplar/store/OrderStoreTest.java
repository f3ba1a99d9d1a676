package dev.exemplar.store;

import dev.exemplar.store.OrderStore.Constituent;
import dev.exemplar.store.OrderStore.Link;
import dev.exemplar.store.OrderStore.OrderResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderStoreTest {
    @TempDir Path dir;

    /** A store with project 1 and these tasks. */
    static Store withTasks(Path dir, long... ids) {
        Store store = Store.open(dir);
        store.projects().ensure(1);
        Map<Long, String> refs = new LinkedHashMap<>();
        for (long id : ids) refs.put(id, "/data/" + id + ".jpg");
        store.tasks().upsert(1, refs);
        return store;
    }

    private static final OrderResult FIRST = new OrderResult(2, List.of(10L, 20L, 30L, 40L),
            Map.of(30L, List.of(new Link(10, 0.75), new Link(20, 0.25)), 40L, List.of(new Link(20, 1.0))),
            List.of(List.of(30L, 40L)));

    @Test
    void aResultReadsBackAsWrittenAndSurvivesARestart() {
        try (Store store = withTasks(dir, 10, 20, 30, 40, 50)) {
            assertThat(store.orders().read(1)).isEmpty();
            store.orders().write(1, FIRST);
            assertThat(store.orders().read(1)).contains(FIRST);
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.orders().read(1)).contains(FIRST);
            assertThat(store.tasks().get(1, 10).orElseThrow().role()).isEqualTo(Role.DELEGATE);
            assertThat(store.tasks().get(1, 40).orElseThrow().rank()).isEqualTo(3);
            assertThat(store.tasks().get(1, 30).orElseThrow().role()).isEqualTo(Role.CONSTITUENT);
            assertThat(store.tasks().get(1, 50).orElseThrow().rank()).as("not in the order").isNull();
            assertThat(store.tasks().list(1)).extracting(TaskStore.Task::taskId).containsExactly(10L, 20L, 30L, 40L, 50L);
            assertThat(store.projects().get(1).orElseThrow().summarySize()).isEqualTo(2);
        }
    }

    @Test
    void aNewResultReplacesTheOldOneEntirely() {
        try (Store store = withTasks(dir, 10, 20, 30, 40)) {
            store.orders().write(1, FIRST);
            OrderResult second = new OrderResult(1, List.of(40L, 10L), Map.of(10L, List.of(new Link(40, 1.0))), List.of());
            store.orders().write(1, second);
            assertThat(store.orders().read(1)).contains(second);
            assertThat(store.tasks().get(1, 20).orElseThrow().rank()).isNull();
            assertThat(store.tasks().get(1, 20).orElseThrow().role()).isNull();
        }
    }

    @Test
    void aFailureMidWayLeavesThePreviousResult() {
        try (Store store = withTasks(dir, 10, 20, 30, 40)) {
            store.orders().write(1, FIRST);
            // ranks and the first links go in before the link to an unknown delegate fails
            OrderResult broken = new OrderResult(1, List.of(40L, 30L, 20L, 10L),
                    new LinkedHashMap<>(Map.of(30L, List.of(new Link(40, 1.0)), 20L, List.of(new Link(999, 1.0)))),
                    List.of());
            assertThatThrownBy(() -> store.orders().write(1, broken)).isInstanceOf(StoreException.class);
            assertThat(store.orders().read(1)).contains(FIRST);

            OrderResult unknownTask = new OrderResult(1, List.of(40L, 30L, 77L), Map.of(), List.of());
            assertThatThrownBy(() -> store.orders().write(1, unknownTask)).hasMessageContaining("77");
            assertThat(store.orders().read(1)).contains(FIRST);
        }
    }

    @Test
    void aDelegateKnowsItsConstituentsStrongestFirst() {
        try (Store store = withTasks(dir, 10, 20, 30, 40)) {
            store.orders().write(1, FIRST);
            assertThat(store.orders().constituents(1, 20))
                    .containsExactly(new Constituent(40, 0, 1.0), new Constituent(30, 1, 0.25));
            assertThat(store.orders().links(1, 30)).containsExactly(new Link(10, 0.75), new Link(20, 0.25));
            assertThat(store.orders().links(1, 10)).isEmpty();
        }
    }

    @Test
    void deletingATaskTakesItsLinksAndDuplicateMembershipAlong() {
        try (Store store = withTasks(dir, 10, 20, 30, 40)) {
            store.orders().write(1, FIRST);
            store.tasks().delete(1, List.of(20L));
            assertThat(store.orders().links(1, 30)).containsExactly(new Link(10, 0.75));
            assertThat(store.orders().constituents(1, 20)).isEmpty();
        }
    }

    @Test
    void theNeighbourGraphReadsBackInRankOrderAndGoesWithItsTasks() {
        try (Store store = withTasks(dir, 10, 20, 30, 40)) {
            assertThat(store.orders().graph(1)).isEmpty();
            // by position in the order 40, 10, 30, 20: two neighbours each, by task id
            OrderStore.Graph graph = new OrderStore.Graph(2, new long[] {10, 30, 40, 30, 10, 20, 30, 10},
                    new float[] {0.9f, 0.5f, 0.9f, 0.7f, 0.7f, 0.6f, 0.6f, 0.4f});
            store.orders().write(1, new OrderResult(2, List.of(40L, 10L, 30L, 20L), Map.of(), List.of(), Map.of(), graph));
            OrderStore.StoredGraph read = store.orders().graph(1).orElseThrow();
            assertThat(read.tasks()).containsExactly(40L, 10L, 30L, 20L);
            assertThat(read.graph().degree()).isEqualTo(2);
            assertThat(read.graph().neighbours()).containsExactly(graph.neighbours());
            assertThat(read.graph().similarities()).containsExactly(graph.similarities());

            store.tasks().delete(1, List.of(30L));
            OrderStore.StoredGraph left = store.orders().graph(1).orElseThrow();
            assertThat(left.tasks()).as("its own list goes; the others still name it until the next order").containsExactly(40L, 10L, 20L);
            assertThat(left.graph().neighbours()).containsExactly(10, 30, 40, 30, 30, 10);

            store.orders().write(1, new OrderResult(1, List.of(10L, 20L), Map.of(), List.of()));
            assertThat(store.orders().graph(1)).as("an order written without a graph leaves none").isEmpty();
        }
    }
}
