package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A task's part in the order, as the tasks table's {@code role} holds it (and Label Studio's {@code exemplar_role} field): a delegate, labelled by a person, or a constituent, which a delegate represents.
 * Stored, and written, as the lower-case word ({@link #text}).
 */
public enum Role {
    DELEGATE, CONSTITUENT;

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
    static Role of(String text) {
        return Words.parse(Role.class, text);
    }
}
