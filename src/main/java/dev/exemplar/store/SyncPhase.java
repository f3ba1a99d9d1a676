package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a project's sync stands, as the projects table's {@code sync_phase} holds it: new until the first sync, then tasks, features, order and queue, done; stale when /setup brought a new label config or settings.
 * Stored, and written, as the lower-case word ({@link #text}).
 */
public enum SyncPhase {
    NEW, TASKS, FEATURES, ORDER, QUEUE, DONE, STALE;

    /** The word the database holds. */
    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The word, so that messages read as before. */
    @Override
    public String toString() {
        return text();
    }

    /** From the database's word; null stays null. */
    static SyncPhase of(String text) {
        if (text == null) return null;
        for (SyncPhase v : values()) if (v.text().equals(text)) return v;
        throw new IllegalStateException("unknown SyncPhase in the database: " + text);
    }
}
