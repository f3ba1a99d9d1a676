package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.summary.Result;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the ML backend's HTTP routes ask of the backend. Every answer comes from state: Label Studio
 * waits 1 s and 3 s for /health and /setup, so nothing here computes inline; syncs and writes
 * to Label Studio happen in the background. Malformed requests throw {@link InvalidRequest}.
 */
public interface Service {
    /** The header whose value must equal the webhook secret, when one is set; syncs put it on Label Studio's webhook. */
    String WEBHOOK_SECRET_HEADER = "X-Exemplar-Webhook-Secret";

    /** Where a project's sync stands; {@code phase} as the status answer names it. */
    record Status(long project, String phase, Progress progress, Integer summarySize, Spreading propagation,
                  Queue queue, String lastError, Instant updatedAt) { }

    /**
     * The summary queue: {@code summary} or {@code adaptive}; with an adaptive one, the tasks now put first, how many
     * of them are still to be labelled, and whether Label Studio is still to be told.
     */
    record Queue(String order, List<Long> front, long frontOpen, boolean toWrite) { }

    /** The current phase's progress, its rate so far and, while it is going, the time left at that rate. */
    record Progress(long done, long total, double perSecond, Long etaSeconds) { }

    /** Label propagation in the project: its propagated labels by state, and what cannot be propagated. */
    record Spreading(int labelledTasks, long propagated, long toWrite, long accepted, long rejected, String note) { }

    /** A propagated label as /predict answers it. */
    record Suggestion(String modelVersion, JsonNode result, double score) { }

    /** What taking Exemplar out of a project removed. */
    record Removal(long project, int backends, int views, int tasks, int predictions) { }

    /** The backend cannot take this request now, though it is right (its event queue is full): answered 503, to ask again later. */
    final class Busy extends RuntimeException {
        public Busy(String message) {
            super(message);
        }
    }

    /** /setup: remembers the project's config and starts (or continues) its sync; the project is marked stale when it changed. */
    void setup(JsonNode body);

    /**
     * /webhook: commits the event to the durable queue and answers its id; the work happens in the background.
     * Throws {@link Busy} when the queue holds as many events as it may.
     */
    long webhook(JsonNode event);

    /** /predict: for each task in the body, in order, the propagated labels written to Label Studio (none or one). */
    List<List<Suggestion>> predict(JsonNode body);

    /** Empty when the project is not known (Label Studio has not called /setup for it). */
    Optional<Status> status(long project);

    /** Where each project the backend knows stands, by project id. */
    List<Status> projects();

    /** The current result in the design's result format, items named by task id; empty before the first. */
    Optional<Result> result(long project);

    /**
     * Takes Exemplar out of the project. Throws {@link IllegalStateException} when it cannot start, and
     * other runtime exceptions when Label Studio refused or did not answer midway.
     */
    Removal remove(long project) throws Exception;

    /** The state's figures (projects, tasks, events by state, each project's sync) and the background's, in Prometheus' text format. */
    String metrics();

    /** The review page's data and actions; empty when this backend has none. */
    Optional<Review> review();
}
