package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A propagated label's state, as the propagations table's {@code state} holds it: proposed until a reviewer accepts or rejects it; accepted and rejected constituents are no longer propagated to.
 * Stored, and written, as the lower-case word ({@link #text}).
 */
public enum ReviewState {
    PROPOSED, ACCEPTED, REJECTED;

    /** The word the database holds. */
    @JsonValue
    public String text() {
        return Words.of(this);
    }

    /** The word, so that messages read as before. */
    @Override
    public String toString() {
        return text();
    }

    /** From the database's word; null stays null. */
    static ReviewState of(String text) {
        return Words.parse(ReviewState.class, text);
    }
}
