package dev.exemplar.backend;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When to try again after a failure that does not pass by itself, such as a full disk, and when to say so:
 * the wait doubles from {@link #FIRST} to {@link #MAX} and a success ends it; the same error is logged when it
 * starts, then at most once every {@link #LOG_EVERY}, so a failure that lasts hours does not flood the log.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(200), MAX = Duration.ofSeconds(30), LOG_EVERY = Duration.ofMinutes(1);

    private final LongSupplier millis;
    /** The current wait; 0 while nothing fails. */
    private long delay;
    private long notBefore;
    private String loggedError;
    private long loggedAt;
    private int failures;

    Backoff(LongSupplier millis) {
        this.millis = millis;
    }

    /** Whether to try now: always when nothing failed, else once the wait is over. */
    synchronized boolean due() {
        return delay == 0 || millis.getAsLong() >= notBefore;
    }

    /** A try failed with this error: the wait grows; answers what to log, if anything. */
    synchronized Optional<String> failed(String error) {
        long now = millis.getAsLong();
        delay = delay == 0 ? FIRST.toMillis() : Math.min(MAX.toMillis(), delay * 2);
        notBefore = now + delay;
        failures++;
        if (Objects.equals(error, loggedError) && now - loggedAt < LOG_EVERY.toMillis()) {
            return Optional.empty();
        }
        String line = error + " (failed " + failures + (failures == 1 ? " time" : " times") + "; next try in "
                + delay + " ms)";
        loggedError = error;
        loggedAt = now;
        return Optional.of(line);
    }

    /** A try succeeded: the next failure starts from the shortest wait; answers what to log, if anything. */
    synchronized Optional<String> succeeded() {
        if (delay == 0) {
            return Optional.empty();
        }
        String line = "works again after " + failures + (failures == 1 ? " failure" : " failures");
        delay = 0;
        failures = 0;
        loggedError = null;
        return Optional.of(line);
    }
}
