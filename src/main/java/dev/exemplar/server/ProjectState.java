package dev.exemplar.server;

import dev.exemplar.backend.Service;

import java.util.Locale;

/**
 * Where a project stands for a person looking at it, from its sync status: what the landing page shows in
 * its row and the review page says when it has nothing to show, each with the next thing to do.
 */
enum ProjectState {
    SYNCING("syncing"), SYNC_FAILED("sync failed"), WAITING_FOR_LABELS("waiting for labels"), REVIEWABLE("ready to review");

    /** The name of the setting that holds the backend's Label Studio token, as people set it. */
    static final String TOKEN_SETTING = "LABEL_STUDIO_API_KEY";

    final String words;

    ProjectState(String words) {
        this.words = words;
    }

    /** A failed sync wins over its phase: the phase is where it stopped. */
    static ProjectState of(Service.Status s) {
        if (s.lastError() != null && !s.lastError().isBlank()) return SYNC_FAILED;
        if (!s.phase().equals("done")) return SYNCING;
        return s.propagation().labelledTasks() == 0 ? WAITING_FOR_LABELS : REVIEWABLE;
    }

    /** The lower-case name the review page's JSON carries. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the person does next, in a sentence. */
    String nextStep(Service.Status s) {
        return switch (this) {
            case SYNCING -> "Wait for the sync to end: the summary queue and the review fill in then.";
            case SYNC_FAILED -> afterFailure(s.lastError());
            case WAITING_FOR_LABELS -> "Label delegates in the \u201cExemplar \u00b7 summary queue\u201d view of the project in Label Studio: "
                    + "their labels are propagated to the images they stand for and appear here for review.";
            case REVIEWABLE -> s.propagation().propagated() == 0
                    ? "Nothing to review now: every propagated label has been accepted or rejected, or none could be propagated yet."
                    : "Review the propagated labels: accept them into Label Studio or reject them.";
        };
    }

    /** The phase in words: the status's phase names the step. */
    static String phaseWords(String phase) {
        return switch (phase) {
            case "new" -> "waiting for its first sync";
            case "tasks" -> "reading tasks";
            case "features" -> "computing image features";
            case "order" -> "ordering by summary priority";
            case "queue" -> "writing the queue into Label Studio";
            case "done" -> "synced";
            case "stale" -> "settings changed: syncing again";
            default -> phase;
        };
    }

    /** What to check after a sync failed, from what Label Studio answered. */
    static String afterFailure(String error) {
        String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
        String retry = " Then open the project's Settings \u2192 Model in Label Studio: its next call to the backend starts the sync again.";
        if (e.contains("answered 401") || e.contains("answered 403") || e.contains("token")) {
            return "Label Studio refused the backend's token: check the " + TOKEN_SETTING + " setting (a personal access token, or a "
                    + "legacy token with legacy tokens enabled for the organization, of a user who can see the project) and restart the backend."
                    + retry;
        }
        if (e.contains("no label studio url and key")) {
            return "Set LABEL_STUDIO_URL and " + TOKEN_SETTING + " and restart the backend." + retry;
        }
        if (e.contains("answered 404")) {
            return "Label Studio does not know it: check that the project still exists and that " + TOKEN_SETTING
                    + " belongs to a user who can see it." + retry;
        }
        if (e.matches(".*answered 5\\d\\d.*")) return "Label Studio failed on its side: see its log." + retry;
        if (e.contains(" failed")) {
            return "The backend could not reach Label Studio: check LABEL_STUDIO_URL and that Label Studio answers at it from where the backend runs."
                    + retry;
        }
        return "See the backend's log for more." + retry;
    }
}
