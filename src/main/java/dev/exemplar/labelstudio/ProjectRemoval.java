package dev.exemplar.labelstudio;

import dev.exemplar.store.Store;

import java.util.List;

/**
 * Takes Exemplar out of a project: its views, its data fields and its predictions go; everything
 * else stays as it was. The project's state in Exemplar's database goes too, so a later /setup
 * starts afresh.
 */
public final class ProjectRemoval {
    /** What was removed. */
    public record Outcome(int views, int tasks, int predictions) { }

    static final List<String> FIELDS = List.of(ProjectSync.RANK, ProjectSync.ROLE, ProjectSync.DELEGATES, ProjectSync.ANNOTATOR);

    private ProjectRemoval() { }

    public static Outcome remove(long projectId, LabelStudioClient client, Store store, String modelVersion) {
        int views = 0;
        for (View v : client.views(projectId)) {
            String title = v.data() == null ? "" : v.data().path("title").asText("");
            if (title.startsWith("Exemplar · ") && client.deleteView(v.id())) views++;
        }
        int tasks = 0, predictions = 0;
        for (Task t : client.tasks(projectId).toList()) {
            if (t.data() != null && FIELDS.stream().anyMatch(t.data()::has)) {
                client.removeTaskData(t, FIELDS);
                tasks++;
            }
            if (t.totalPredictions() > 0) {
                for (Prediction p : client.predictions(t.id())) {
                    if (modelVersion.equals(p.modelVersion()) && client.deletePrediction(p.id())) predictions++;
                }
            }
        }
        Project project = client.project(projectId);
        if (modelVersion.equals(project.modelVersion())) client.setModelVersion(projectId, "");
        store.projects().delete(projectId);
        return new Outcome(views, tasks, predictions);
    }
}
