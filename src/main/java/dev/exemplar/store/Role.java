package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A task's part in the order, as the tasks table's {@code role} holds it (and Label Studio's {@code exemplar_role} field): a delegate, labelled by a person, or a constituent, which a delegate represents.
 * Stored, and written, as the lower-case word ({@link #text}).
 */
public enum Role {
    DELEGATE, CONSTITUENT;

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
    static Role of(String text) {
        if (text == null) return null;
        for (Role v : values()) if (v.text().equals(text)) return v;
        throw new IllegalStateException("unknown Role in the database: " + text);
    }
}
