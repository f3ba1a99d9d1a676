package dev.exemplar.store;

/**
 * A propagated label's state, as the propagations table's {@code state} holds it: proposed until a reviewer accepts or rejects it; accepted and rejected constituents are no longer propagated to.
 * Stored, and written, as the lower-case word ({@link Words#text}).
 */
public enum ReviewState implements Words {
    PROPOSED, ACCEPTED, REJECTED;

    /** The word, so that messages read as before. */
    @Override
    public String toString() {
        return text();
    }
}
