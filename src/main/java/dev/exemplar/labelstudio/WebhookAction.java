package dev.exemplar.labelstudio;

import java.util.Optional;

/**
 * The webhook actions of Label Studio that Exemplar acts on, named as Label Studio sends them in
 * {@code "action"}. Label Studio sends others too; those are acknowledged and left alone.
 */
public enum WebhookAction {
    TASKS_CREATED, TASKS_DELETED, ANNOTATION_CREATED, ANNOTATION_UPDATED, ANNOTATIONS_CREATED, ANNOTATIONS_DELETED;

    /** The action of this name; empty for one Exemplar does not act on. */
    public static Optional<WebhookAction> of(String action) {
        for (WebhookAction a : values()) if (a.name().equals(action)) return Optional.of(a);
        return Optional.empty();
    }

    /** Tasks were added or removed: the project's order is made again. */
    public boolean changesTasks() {
        return this == TASKS_CREATED || this == TASKS_DELETED;
    }

    /** Annotations were made, changed or removed: what is propagated may change. */
    public boolean changesAnnotations() {
        return !changesTasks();
    }
}
