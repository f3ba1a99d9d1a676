package dev.exemplar.store;

import dev.exemplar.store.EventQueue.Event;
import dev.exemplar.store.EventQueue.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventQueueTest {
    @TempDir Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:00:00Z"));

    private Store open() {
        return Store.open(dir, Store.Options.DEFAULTS.withClock(clock).withRetries(3, Duration.ofMinutes(5)));
    }

    @Test
    void eventsAreClaimedOldestFirstAndADoneEventIsNotClaimedAgain() {
        try (Store store = open()) {
            EventQueue q = store.events();
            long a = q.enqueue(1L, "TASKS_CREATED", "{\"tasks\":[1]}");
            long b = q.enqueue(2L, "ANNOTATION_CREATED", "{}");

            Event first = q.claim().orElseThrow();
            assertThat(first.id()).isEqualTo(a);
            assertThat(first.kind()).isEqualTo("TASKS_CREATED");
            assertThat(first.payloadJson()).isEqualTo("{\"tasks\":[1]}");
            assertThat(first.state()).isEqualTo(State.PROCESSING);
            assertThat(first.attempts()).isEqualTo(1);
            q.done(a);

            assertThat(q.claim().orElseThrow().id()).isEqualTo(b);
            q.done(b);
            assertThat(q.claim()).isEmpty();
            assertThat(q.get(a).orElseThrow().state()).isEqualTo(State.DONE);
        }
    }

    @Test
    void pastTheCapOfPendingEventsANewOneIsRefusedAndNothingIsStored() {
        try (Store store = Store.open(dir, Store.Options.DEFAULTS.withClock(clock).withMaxPendingEvents(2))) {
            EventQueue q = store.events();
            long a = q.enqueue(1L, "A", "{}");
            q.enqueue(2L, "B", "{}");

            assertThatThrownBy(() -> q.enqueue(3L, "C", "{}")).isInstanceOf(StoreException.QueueFull.class).hasMessageContaining("2 events");
            assertThat(q.claim().orElseThrow().id()).isEqualTo(a);
            assertThatThrownBy(() -> q.enqueue(3L, "C", "{}")).as("one in processing still waits").isInstanceOf(StoreException.QueueFull.class);
            q.done(a);
            long c = q.enqueue(3L, "C", "{}");

            assertThat(q.get(c).orElseThrow().kind()).isEqualTo("C");
            assertThat(q.payloads("C")).hasSize(1);
            assertThat(q.counts()).containsEntry(State.QUEUED, 2).containsEntry(State.DONE, 1);
        }
    }

    @Test
    void anEventIsDurableOnceEnqueueReturns() {
        long id;
        try (Store store = open()) {
            id = store.events().enqueue(null, "PING", "{}");
        }
        try (Store store = open()) {
            Event e = store.events().claim().orElseThrow();
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.projectId()).isNull();
        }
    }

    @Test
    void anEventInterruptedByACrashIsRetriedAfterReopenAndAProcessedOneNeverIs() {
        long done, interrupted;
        try (Store store = open()) {
            done = store.events().enqueue(1L, "A", "{}");
            interrupted = store.events().enqueue(2L, "B", "{}");
            store.events().claim();
            store.events().done(done);
            assertThat(store.events().claim().orElseThrow().id()).isEqualTo(interrupted);
            // the process dies here, mid-way through the event
        }
        try (Store store = open()) {
            assertThat(store.requeuedOnOpen()).isEqualTo(1);
            Event again = store.events().claim().orElseThrow();
            assertThat(again.id()).isEqualTo(interrupted);
            assertThat(again.attempts()).isEqualTo(2);
            store.events().done(interrupted);
            assertThat(store.events().claim()).isEmpty();
            assertThat(store.events().get(done).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    @Test
    void effectsAndDoneCommitTogetherOrNotAtAll() {
        try (Store store = open()) {
            store.projects().ensure(1);
            long id = store.events().enqueue(1L, "A", "{}");
            store.events().claim();
            assertThatThrownBy(() -> store.transaction(() -> {
                store.projects().error(1, "effect");
                store.events().done(id);
                throw new IllegalStateException("crash before commit");
            })).hasMessageContaining("crash before commit");
            assertThat(store.events().get(id).orElseThrow().state()).isEqualTo(State.PROCESSING);
            assertThat(store.projects().get(1).orElseThrow().lastError()).isNull();
        }
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCapAndFailAfterTheLastAttempt() {
        try (Store store = open()) {
            EventQueue q = store.events();
            long id = q.enqueue(1L, "A", "{}");

            q.claim();
            Instant next = q.retryLater(id, "Label Studio unreachable", Duration.ofMinutes(2)).orElseThrow();
            assertThat(next).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
            assertThat(q.claim()).as("not due yet").isEmpty();
            assertThat(q.nextDue()).contains(next);
            Event queued = q.get(id).orElseThrow();
            assertThat(queued.state()).isEqualTo(State.QUEUED);
            assertThat(queued.lastError()).isEqualTo("Label Studio unreachable");

            clock.advance(Duration.ofMinutes(2));
            assertThat(q.claim().orElseThrow().attempts()).isEqualTo(2);
            // 4 minutes would be next, within the 5-minute cap
            assertThat(q.retryLater(id, "again", Duration.ofMinutes(2))).contains(clock.instant().plus(Duration.ofMinutes(4)));

            clock.advance(Duration.ofMinutes(4));
            assertThat(q.claim().orElseThrow().attempts()).isEqualTo(3);
            assertThat(q.retryLater(id, "still", Duration.ofMinutes(2))).as("third of three attempts").isEmpty();
            assertThat(q.get(id).orElseThrow().state()).isEqualTo(State.FAILED);
            assertThat(q.counts()).containsEntry(State.FAILED, 1).containsEntry(State.QUEUED, 0);
        }
    }

    @Test
    void theBackoffDoublesAndIsCapped() {
        try (Store store = open()) {
            EventQueue q = store.events();
            assertThat(q.backoff(Duration.ofSeconds(10), 1)).isEqualTo(Duration.ofSeconds(10));
            assertThat(q.backoff(Duration.ofSeconds(10), 3)).isEqualTo(Duration.ofSeconds(40));
            assertThat(q.backoff(Duration.ofSeconds(10), 6)).isEqualTo(Duration.ofMinutes(5));
            assertThat(q.backoff(Duration.ofSeconds(10), 1000)).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void anEventThatKeepsCrashingTheProcessFailsInsteadOfLoopingForever() {
        long id;
        try (Store store = open()) {
            id = store.events().enqueue(1L, "POISON", "{}");
        }
        for (int crash = 0; crash < 3; crash++) {
            try (Store store = open()) {
                store.events().claim();
            }
        }
        try (Store store = open()) {
            Event e = store.events().get(id).orElseThrow();
            assertThat(e.state()).isEqualTo(State.FAILED);
            assertThat(store.events().claim()).isEmpty();
        }
    }

    @Test
    void aProjectsEventsAreProcessedOneAtATimeInTheOrderReceived() {
        try (Store store = open()) {
            EventQueue q = store.events();
            long a1 = q.enqueue(1L, "A", "{}");
            long a2 = q.enqueue(1L, "A", "{}");
            long b1 = q.enqueue(2L, "B", "{}");

            assertThat(q.claim().orElseThrow().id()).isEqualTo(a1);
            assertThat(q.claim().orElseThrow().id()).as("project 1 is busy").isEqualTo(b1);
            assertThat(q.claim()).isEmpty();

            q.retryLater(a1, "later", Duration.ofMinutes(1));
            assertThat(q.claim()).as("a2 waits behind a1's retry").isEmpty();
            clock.advance(Duration.ofMinutes(1));
            assertThat(q.claim().orElseThrow().id()).isEqualTo(a1);
            q.done(a1);
            assertThat(q.claim().orElseThrow().id()).isEqualTo(a2);
        }
    }

    @Test
    void concurrentClaimersNeverGetTheSameEvent() throws Exception {
        int n = 400;
        try (Store store = open()) {
            for (int i = 0; i < n; i++) store.events().enqueue(null, "E", "{\"i\":" + i + "}");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (Optional<Event> e; (e = store.events().claim()).isPresent(); ) {
                        mine.add(e.get().id());
                        store.events().done(e.get().id());
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            for (var f : workers) all.addAll(f.get());
            pool.shutdown();

            Set<Long> distinct = new HashSet<>(all);
            assertThat(all).hasSize(n);
            assertThat(distinct).hasSize(n);
            assertThat(store.events().counts()).containsEntry(State.DONE, n);
        }
    }

    @Test
    void doneEventsArePurgedFailedOnesKept() {
        try (Store store = open()) {
            EventQueue q = store.events();
            long a = q.enqueue(1L, "A", "{}");
            long b = q.enqueue(2L, "B", "{}");
            q.claim();
            q.done(a);
            q.claim();
            q.fail(b, "malformed");
            clock.advance(Duration.ofDays(8));
            assertThat(q.purgeDone(clock.instant().minus(Duration.ofDays(7)))).isEqualTo(1);
            assertThat(q.get(a)).isEmpty();
            assertThat(q.get(b).orElseThrow().lastError()).isEqualTo("malformed");
        }
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedAtOnce() {
        try (Store store = open()) {
            assertThatThrownBy(() -> store.events().enqueue(1L, "A", "{not json")).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void theLabelsQueuedAfterAClaimedOneAreClaimedWithItUpToAnotherKindOrOneWaitingForARetry() {
        try (Store store = open()) {
            EventQueue q = store.events();
            Set<String> labels = Set.of("ANNOTATION_CREATED", "ANNOTATION_UPDATED");
            long a = q.enqueue(1L, "ANNOTATION_CREATED", "{}");
            long other = q.enqueue(2L, "ANNOTATION_CREATED", "{}");
            long b = q.enqueue(1L, "ANNOTATION_UPDATED", "{}");
            long c = q.enqueue(1L, "ANNOTATION_CREATED", "{}");
            long tasks = q.enqueue(1L, "TASKS_CREATED", "{}");
            long d = q.enqueue(1L, "ANNOTATION_CREATED", "{}");

            Event first = q.claim().orElseThrow();
            assertThat(first.id()).isEqualTo(a);
            List<Event> burst = q.claimFollowing(first, labels, 10);
            assertThat(burst).extracting(Event::id).as("up to the event of another kind").containsExactly(b, c);
            assertThat(burst).allSatisfy(e -> assertThat(e.state()).isEqualTo(State.PROCESSING));
            assertThat(q.claimFollowing(first, labels, 10)).as("claimed once").isEmpty();

            q.release(List.of(b, c));
            assertThat(q.get(b).orElseThrow().state()).isEqualTo(State.QUEUED);
            assertThat(q.get(b).orElseThrow().attempts()).as("a released claim is not an attempt").isZero();
            assertThat(q.claimFollowing(first, labels, 1)).extracting(Event::id).as("at most the limit").containsExactly(b);
            assertThat(q.get(other).orElseThrow().state()).as("another project's").isEqualTo(State.QUEUED);
            assertThat(q.get(tasks).orElseThrow().state()).isEqualTo(State.QUEUED);
            assertThat(q.get(d).orElseThrow().state()).isEqualTo(State.QUEUED);
        }
    }

    @Test
    void aLabelWaitingForARetryIsNotClaimedWithTheOneBeforeItNorAreThoseAfterIt() {
        try (Store store = open()) {
            EventQueue q = store.events();
            Set<String> labels = Set.of("ANNOTATION_CREATED");
            q.enqueue(1L, "ANNOTATION_CREATED", "{}");
            long b = q.enqueue(1L, "ANNOTATION_CREATED", "{}");
            long c = q.enqueue(1L, "ANNOTATION_CREATED", "{}");
            Event first = q.claim().orElseThrow();
            // b failed once before and waits for its retry
            List<Event> both = q.claimFollowing(first, labels, 1);
            q.retryLater(both.get(0).id(), "boom", Duration.ofSeconds(30));
            assertThat(q.claimFollowing(first, labels, 10)).as("b is not due, and c may not overtake it").isEmpty();
            clock.advance(Duration.ofSeconds(31));
            assertThat(q.claimFollowing(first, labels, 10)).extracting(Event::id).containsExactly(b, c);
        }
    }
}
