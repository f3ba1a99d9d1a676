package dev.exemplar.backend;

import dev.exemplar.config.Manifest;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.store.EventQueue;
import dev.exemplar.store.FaultyDisk;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk fails the event queue itself: the events thread tries again after a wait that doubles up to
 * 30 s, says so in the log once in a while rather than at every poll, and starts afresh once a try succeeds.
 * Time is a hand-moved clock, so the tests count tries, not seconds.
 */
class EventQueueBackoffTest {
    final AtomicLong millis = new AtomicLong(1_000_000);

    @Test
    void theWaitDoublesUpToThirtySecondsAndASuccessEndsIt() {
        Backoff backoff = new Backoff(millis::get);
        assertThat(backoff.due()).as("nothing failed").isTrue();

        long expected = 200;
        for (int i = 0; i < 12; i++) {
            backoff.failed("disk full");
            millis.addAndGet(expected - 1);
            assertThat(backoff.due()).as("1 ms before the wait of %d ms is over", expected).isFalse();
            millis.addAndGet(1);
            assertThat(backoff.due()).isTrue();
            expected = Math.min(30_000, expected * 2);
        }
        assertThat(expected).isEqualTo(30_000);

        backoff.succeeded();
        assertThat(backoff.due()).isTrue();
        backoff.failed("disk full");
        millis.addAndGet(199);
        assertThat(backoff.due()).as("the first wait again").isFalse();
        millis.addAndGet(1);
        assertThat(backoff.due()).isTrue();
    }

    @Test
    void theSameErrorIsLoggedAtMostOnceAMinuteAndTheRecoveryOnce() {
        Backoff backoff = new Backoff(millis::get);

        assertThat(backoff.failed("disk full")).hasValue("disk full (failed 1 time; next try in 200 ms)");
        int logged = 0;
        for (int second = 1; second <= 120; second++) {
            millis.addAndGet(1_000);
            if (backoff.failed("disk full").isPresent()) logged++;
        }
        assertThat(logged).as("lines in the two minutes after the first").isEqualTo(2);
        assertThat(backoff.failed("read-only")).as("another error").isPresent();
        assertThat(backoff.succeeded()).hasValue("works again after 122 failures");
        assertThat(backoff.succeeded()).as("nothing failed since").isEmpty();
        assertThat(backoff.failed("disk full")).as("a new failure").isPresent();
    }

    @Test
    void aMinuteAfterItWasLoggedTheSameErrorIsLoggedAgain() {
        Backoff backoff = new Backoff(millis::get);
        assertThat(backoff.failed("disk full")).isPresent();
        millis.addAndGet(59_999);
        assertThat(backoff.failed("disk full")).isEmpty();
        millis.addAndGet(1);
        assertThat(backoff.failed("disk full")).hasValue("disk full (failed 3 times; next try in 800 ms)");
    }

    @Nested
    class OnAFullDisk {
        @TempDir Path dataDir;
        final FaultyDisk disk = new FaultyDisk();
        Store store;
        SyncService sync;

        @BeforeEach
        void service() {
            // the store's clock is the test's too: an event's retry is due when the test says
            store = disk.open(dataDir, Store.Options.DEFAULTS.withClock(new Clock() {
                @Override public ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
            }));
            sync = SyncService.start(store, ImageLoader.defaults(), new SyncService.Options(
                    new SyncService.Connection("", ""), Manifest.load().modelVersion(), Pipeline.Options.defaults()),
                    millis::get);
        }

        @AfterEach
        void close() {
            sync.close();
            store.close();
        }

        EventQueue.State state(long event) {
            return store.events().get(event).orElseThrow().state();
        }

        @Test
        void theEventsThreadTriesOncePerWaitNotAtEveryPoll() {
            // on the events thread, so that its own polling does not take the event before the disk is full
            long event = sync.onEventsThread(() -> {
                long id = store.events().enqueue(null, "PROJECT_UPDATED", "{}");
                disk.fillAfter(1);
                return id;
            });

            for (int poll = 0; poll < 50; poll++) sync.drainEvents();
            assertThat(disk.failures()).as("tries while the clock stands").isEqualTo(1);

            millis.addAndGet(199);
            sync.drainEvents();
            assertThat(disk.failures()).isEqualTo(1);
            millis.addAndGet(1);
            sync.drainEvents();
            sync.drainEvents();
            assertThat(disk.failures()).isEqualTo(2);
            millis.addAndGet(400);
            sync.drainEvents();
            assertThat(disk.failures()).isEqualTo(3);
            for (int wait = 0; wait < 20; wait++) { // well past the longest wait
                millis.addAndGet(30_000);
                sync.drainEvents();
            }
            assertThat(disk.failures()).isEqualTo(23);
            millis.addAndGet(29_999);
            sync.drainEvents();
            assertThat(disk.failures()).as("the wait stops growing at 30 s").isEqualTo(23);

            disk.heal();
            millis.addAndGet(1);
            sync.drainEvents();
            assertThat(state(event)).isEqualTo(EventQueue.State.DONE);

            long next = sync.onEventsThread(() -> {
                long id = store.events().enqueue(null, "PROJECT_UPDATED", "{}");
                disk.fillAfter(1);
                return id;
            });
            sync.drainEvents();
            millis.addAndGet(200);
            sync.drainEvents();
            assertThat(disk.failures()).as("after a success the first wait is short again").isEqualTo(25);
            disk.heal();
            millis.addAndGet(400);
            sync.drainEvents();
            assertThat(state(next)).isEqualTo(EventQueue.State.DONE);
        }

        @Test
        void anEventLeftClaimedByTheFullDiskIsPutBackOnceThereIsSpace() {
            long event = sync.onEventsThread(() -> {
                long id = store.events().enqueue(null, "PROJECT_UPDATED", "{}");
                disk.fillAfter(2); // its claim is written; marking it done is not, nor is its retry
                sync.drainEvents();
                return id;
            });
            assertThat(disk.failures()).isEqualTo(2);
            assertThat(state(event)).isEqualTo(EventQueue.State.PROCESSING);

            disk.heal();
            millis.addAndGet(200);
            sync.drainEvents();
            assertThat(state(event)).as("back in the queue, for its own retry").isEqualTo(EventQueue.State.QUEUED);
            millis.addAndGet(1_000);
            sync.drainEvents();
            assertThat(state(event)).isEqualTo(EventQueue.State.DONE);
        }
    }
}
