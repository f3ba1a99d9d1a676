package dev.exemplar.labelstudio.standin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall clock with a test-controlled offset. Every reading is strictly later than the previous one
 * (by at least a microsecond), because LS orders some lists by {@code updated_at} and two rows
 * written in the same request must still have a definite order.
 */
public final class StandInClock {
    private Duration offset = Duration.ZERO;
    private Instant last = Instant.EPOCH;

    synchronized Instant now() {
        Instant t = Instant.now().plus(offset).truncatedTo(ChronoUnit.MICROS);
        if (!t.isAfter(last)) t = last.plus(1, ChronoUnit.MICROS);
        last = t;
        return t;
    }

    /** Moves time forward, e.g. past an access token's expiry, without sleeping. */
    public synchronized void advance(Duration d) {
        offset = offset.plus(d);
    }
}
