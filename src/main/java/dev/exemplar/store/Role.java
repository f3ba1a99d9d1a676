package dev.exemplar.store;

/**
 * A task's part in the order, as the tasks table's {@code role} holds it (and Label Studio's {@code exemplar_role} field): a delegate, labelled by a person, or a constituent, which a delegate represents.
 * Stored, and written, as the lower-case word ({@link Words#text}).
 */
public enum Role implements Words {
    DELEGATE, CONSTITUENT;

    /** The word, so that messages read as before. */
    @Override
    public String toString() {
        return text();
    }
}
