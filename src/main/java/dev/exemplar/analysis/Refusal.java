package dev.exemplar.analysis;

import dev.exemplar.summary.Result;

import java.util.List;

/** An analysis that will not run as asked: too large for an exact or quadratic step, or asking for the impossible. The message says why and what to do. */
public final class Refusal extends IllegalArgumentException {
    /** The items that could not be read, when none could: why the analysis has nothing to run on. */
    private final transient List<Result.ItemError> unread;

    Refusal(String message) {
        this(message, List.of());
    }

    Refusal(String message, List<Result.ItemError> unread) {
        super(message);
        this.unread = List.copyOf(unread);
    }

    /** The items that could not be read when the refusal is that none could; else none. */
    public List<Result.ItemError> unread() {
        return unread;
    }
}
