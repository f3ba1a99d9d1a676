package dev.exemplar.backend;

import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.MlBackend;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.labelstudio.View;
import dev.exemplar.labelstudio.Webhook;
import dev.exemplar.store.Store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes Exemplar out of a project: its connection (the ML backends that answer Exemplar's model
 * version, and the webhooks Label Studio made for them), its views, its data fields and its
 * predictions go; everything else stays as it was. The project's state in Exemplar's database
 * goes too, so connecting the backend again starts afresh.
 *
 * <p>The connection goes first, so that no webhook or /setup brings anything back meanwhile. Tasks
 * are written only where they carry Exemplar's fields, two at a time as the sync writes them;
 * predictions go in one request, by model version.
 */
public final class ProjectRemoval {
    /** What was removed. */
    public record Outcome(int backends, int views, int tasks, int predictions) { }

    static final List<String> FIELDS = List.of(ProjectSync.RANK, ProjectSync.ROLE, ProjectSync.DELEGATES, ProjectSync.ANNOTATOR);

    private ProjectRemoval() { }

    public static Outcome remove(long projectId, LabelStudioClient client, Store store, String modelVersion) {
        String shown = client.project(projectId).modelVersion();
        Set<String> removedTitles = new HashSet<>();
        int backends = 0;
        for (MlBackend b : client.mlBackends(projectId)) {
            if (!modelVersion.equals(b.modelVersion())) continue;
            String hook = b.url() == null ? null : b.url().replaceAll("/+$", "") + "/webhook";
            for (Webhook w : client.webhooks(projectId)) if (Objects.equals(w.url(), hook)) client.deleteWebhook(w.id());
            if (client.deleteMlBackend(b.id())) backends++;
            removedTitles.add(b.title());
        }
        int views = 0;
        for (View v : client.views(projectId)) {
            String title = v.data() == null ? "" : v.data().path("title").asText("");
            if (title.startsWith("Exemplar · ") && client.deleteView(v.id())) views++;
        }
        List<Task> marked = client.tasks(projectId).filter(t -> t.data() != null && FIELDS.stream().anyMatch(t.data()::has)).toList();
        AtomicInteger tasks = new AtomicInteger();
        ForkJoinPool writers = new ForkJoinPool(ProjectSync.WRITERS);
        try {
            writers.submit(() -> marked.parallelStream().forEach(t -> {
                client.removeTaskData(t, FIELDS);
                tasks.incrementAndGet();
            })).join();
        } finally {
            writers.shutdown();
        }
        // Label Studio clears the project's model version when it deletes the predictions of the version shown, or
        // when that is any backend's title: a version someone else chose is put back
        int predictions = client.deletePredictions(projectId, modelVersion);
        if (shown != null && !shown.isEmpty() && !shown.equals(modelVersion) && !removedTitles.contains(shown)
                && !shown.equals(client.project(projectId).modelVersion())) {
            client.setModelVersion(projectId, shown);
        }
        store.transaction(() -> {
            store.events().forget(projectId);
            store.labels().forget(projectId);
            store.projects().delete(projectId);
        });
        return new Outcome(backends, views, tasks.get(), predictions);
    }
}
