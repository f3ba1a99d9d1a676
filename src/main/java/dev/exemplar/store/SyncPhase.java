package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a project's sync stands, as the projects table's {@code sync_phase} holds it: new until the first sync, then tasks, features, order and queue, done; stale when /setup brought a new label config or settings.
 * Stored, and written, as the lower-case word ({@link #text}).
 */
public enum SyncPhase {
    NEW, TASKS, FEATURES, ORDER, QUEUE, DONE, STALE;

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
    static SyncPhase of(String text) {
        return Words.parse(SyncPhase.class, text);
    }
}
