package dev.exemplar.store;

/**
 * Where a project's sync stands, as the projects table's {@code sync_phase} holds it: new until the first sync, then tasks, features, order and queue, done; stale when /setup brought a new label config or settings.
 * Stored, and written, as the lower-case word ({@link Words#text}).
 */
public enum SyncPhase implements Words {
    NEW, TASKS, FEATURES, ORDER, QUEUE, DONE, STALE;

    /** The word, so that messages read as before. */
    @Override
    public String toString() {
        return text();
    }
}
