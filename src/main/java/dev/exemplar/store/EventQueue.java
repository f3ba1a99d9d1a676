package dev.exemplar.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook events, queued durably before they are acknowledged and processed in the background.
 *
 * <p>Exactly-once in effect: {@link #claim} marks an event {@code processing}; the worker commits
 * its effects and {@link #done} together in one {@link Store#transaction}, so a processed event is
 * never seen again. A crash in between leaves it {@code processing}, and the next open puts it back
 * in the queue to be retried; effects outside the database (calls to Label Studio) must therefore
 * be idempotent, which the task field bookkeeping provides.
 *
 * <p>A project's events are processed one at a time, in the order received: {@link #claim} skips a
 * project while one of its events is being processed.
 */
public final class EventQueue {
    public enum State {
        QUEUED, PROCESSING, DONE, FAILED;

        String sql() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** {@code projectId} is null for events that concern no single project. */
    public record Event(long id, Long projectId, String kind, String payloadJson, Instant receivedAt, State state,
                        int attempts, Instant nextAttemptAt, String lastError) { }

    private static final String COLUMNS = "id, project_id, kind, payload_json, received_at, state, attempts, next_attempt_at, last_error";

    private final Store store;
    private final int maxAttempts;
    private final Duration maxDelay;
    private final int maxPending;

    EventQueue(Store store, int maxAttempts, Duration maxDelay, int maxPending) {
        this.store = store;
        this.maxAttempts = maxAttempts;
        this.maxDelay = maxDelay;
        this.maxPending = maxPending;
    }

    /**
     * Queues an event; once this returns it is committed and survives a crash of the process. Throws
     * {@link StoreException.QueueFull} when as many events as the store allows are queued or in processing.
     */
    public long enqueue(Long projectId, String kind, String payloadJson) {
        long now = store.now();
        return store.transaction(c -> {
            // counted no further than the cap, so a full queue costs no more to refuse than a nearly full one
            int pending = Sql.query(c, "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE state IN ('queued', 'processing') LIMIT ?)",
                    rs -> rs.getInt(1), maxPending).get(0);
            if (pending >= maxPending) {
                throw new StoreException.QueueFull("the event queue is full: " + maxPending + " events wait to be processed");
            }
            Sql.update(c, "INSERT INTO events (project_id, kind, payload_json, received_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
                    projectId, kind, payloadJson, now, now);
            return Sql.query(c, "SELECT last_insert_rowid()", rs -> rs.getLong(1)).get(0);
        });
    }

    /**
     * Takes the oldest event that is due and whose project has no event in processing, marks it
     * processing and counts the attempt; empty when there is none.
     */
    public Optional<Event> claim() {
        long now = store.now();
        return store.transaction(c -> {
            List<Long> id = Sql.query(c, "SELECT e.id FROM events e WHERE e.state = 'queued' AND e.next_attempt_at <= ?"
                    + " AND NOT EXISTS (SELECT 1 FROM events p WHERE p.state = 'processing' AND p.project_id = e.project_id)"
                    // FIFO by project: a later event never overtakes an earlier one waiting for a retry
                    + " AND NOT EXISTS (SELECT 1 FROM events b WHERE b.state = 'queued' AND b.project_id = e.project_id AND b.id < e.id)"
                    + " ORDER BY e.next_attempt_at, e.id LIMIT 1", rs -> rs.getLong(1), now);
            if (id.isEmpty()) return Optional.empty();
            Sql.update(c, "UPDATE events SET state = 'processing', attempts = attempts + 1 WHERE id = ?", id.get(0));
            return get(id.get(0));
        });
    }

    /**
     * After {@code first} was claimed: claims the events of its project queued right after it, in order, while they
     * are due and of one of these kinds, at most {@code limit}; a burst of them is then handled as one.
     */
    public List<Event> claimFollowing(Event first, Set<String> kinds, int limit) {
        if (first.projectId() == null || limit < 1) return List.of();
        long now = store.now();
        return store.transaction(c -> {
            List<Event> next = Sql.query(c, "SELECT " + COLUMNS + " FROM events WHERE state = 'queued' AND project_id = ? AND id > ?"
                    + " ORDER BY id LIMIT ?", EventQueue::read, first.projectId(), first.id(), limit);
            List<Event> out = new ArrayList<>();
            for (Event e : next) {
                // a later event never overtakes one waiting for a retry, nor one of another kind
                if (e.nextAttemptAt().toEpochMilli() > now || !kinds.contains(e.kind())) break;
                Sql.update(c, "UPDATE events SET state = 'processing', attempts = attempts + 1 WHERE id = ?", e.id());
                out.add(get(e.id()).orElseThrow());
            }
            return out;
        });
    }

    /** Puts claimed events back in the queue as they were, their attempt not counted: they are handled on their own next. */
    public void release(Collection<Long> ids) {
        if (ids.isEmpty()) return;
        store.transaction(c -> Sql.update(c, "UPDATE events SET state = 'queued', attempts = max(attempts - 1, 0)"
                + " WHERE state = 'processing' AND id IN (SELECT value FROM json_each(?))", Sql.ids(ids)));
    }

    /** The event was processed; call inside the transaction that commits its effects. */
    public void done(long id) {
        finish(id, "UPDATE events SET state = 'done', last_error = NULL WHERE id = ? AND state = 'processing'");
    }

    /**
     * The attempt failed for a reason that may pass: the event waits {@code firstDelay} after its
     * first attempt, doubling with each further one up to the maximum delay, and fails for good
     * after the maximum number of attempts. Returns when it will be retried, or empty if it failed.
     */
    public Optional<Instant> retryLater(long id, String error, Duration firstDelay) {
        long now = store.now();
        return store.transaction(c -> {
            Event e = get(id).filter(x -> x.state() == State.PROCESSING)
                    .orElseThrow(() -> new StoreException("event " + id + " is not being processed"));
            if (e.attempts() >= maxAttempts) {
                Sql.update(c, "UPDATE events SET state = 'failed', last_error = ? WHERE id = ?", error, id);
                return Optional.empty();
            }
            long next = now + backoff(firstDelay, e.attempts()).toMillis();
            Sql.update(c, "UPDATE events SET state = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ?", error, next, id);
            return Optional.of(Instant.ofEpochMilli(next));
        });
    }

    /** The event can never succeed (say, a malformed payload): no retry. */
    public void fail(long id, String error) {
        store.transaction(c -> Sql.update(c, "UPDATE events SET state = 'failed', last_error = ? WHERE id = ? AND state = 'processing'",
                error, id));
    }

    /** {@code firstDelay * 2^(attempts-1)}, capped. */
    Duration backoff(Duration firstDelay, int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = firstDelay.multipliedBy(1L << doublings);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    public Optional<Event> get(long id) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM events WHERE id = ?", EventQueue::read, id))
                .stream().findFirst();
    }

    /** When the next queued event falls due, so an idle worker knows how long it may sleep. */
    Optional<Instant> nextDue() {
        return store.transaction(c -> Sql.query(c, "SELECT MIN(next_attempt_at) FROM events WHERE state = 'queued'",
                rs -> Sql.nullableLong(rs, 1))).stream().filter(x -> x != null).findFirst().map(Instant::ofEpochMilli);
    }

    /** How many events are in each state, for status pages. */
    public Map<State, Integer> counts() {
        Map<State, Integer> out = new EnumMap<>(State.class);
        for (State s : State.values()) out.put(s, 0);
        store.transaction(c -> Sql.query(c, "SELECT state, COUNT(*) FROM events GROUP BY state",
                rs -> out.put(State.of(rs.getString(1)), rs.getInt(2))));
        return out;
    }

    /** The payloads of every stored event of this kind, whatever its state, oldest first. */
    public List<String> payloads(String kind) {
        return store.transaction(c -> Sql.query(c, "SELECT payload_json FROM events WHERE kind = ? ORDER BY id", rs -> rs.getString(1), kind));
    }

    /** Drops the project's events not yet processed (its project is no longer served); one being processed finishes. */
    public int forget(long projectId) {
        return store.transaction(c -> Sql.update(c, "DELETE FROM events WHERE project_id = ? AND state = 'queued'", projectId));
    }

    /** Deletes events done before {@code before}; failed ones stay for inspection. */
    int purgeDone(Instant before) {
        return store.transaction(c -> Sql.update(c, "DELETE FROM events WHERE state = 'done' AND received_at < ?", before.toEpochMilli()));
    }

    /**
     * Called on open: events a crash left processing go back to the queue, due now. One that has
     * already used all its attempts fails instead, so an event that crashes the process cannot
     * crash it forever.
     */
    int requeueInterrupted() {
        long now = store.now();
        return store.transaction(c -> {
            Sql.update(c, "UPDATE events SET state = 'failed', last_error = 'interrupted on every attempt'"
                    + " WHERE state = 'processing' AND attempts >= ?", maxAttempts);
            return Sql.update(c, "UPDATE events SET state = 'queued', next_attempt_at = ?, last_error = 'interrupted'"
                    + " WHERE state = 'processing'", now);
        });
    }

    private void finish(long id, String sql) {
        int n = store.transaction(c -> Sql.update(c, sql, id));
        if (n != 1) throw new StoreException("event " + id + " is not being processed");
    }

    private static Event read(ResultSet rs) throws SQLException {
        return new Event(rs.getLong(1), Sql.nullableLong(rs, 2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), State.of(rs.getString(6)), rs.getInt(7),
                Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9));
    }
}
