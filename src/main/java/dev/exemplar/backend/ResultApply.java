package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Project;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a result made elsewhere (by {@code summarize}, or merged from parts) into a project as a sync writes its own:
 * the same rank, role and delegates on each matched task, through the sync's own queue writer (so only tasks whose
 * fields change are written), and the same views. The engine does not run. Tasks no item names keep what they carry.
 */
public final class ResultApply {
    /** Examples given of each kind of item or task left out. */
    static final int EXAMPLES = 5;

    /** A count and its first few examples. */
    public record Left(int count, List<String> examples) {
        static Left of(List<?> all) {
            return new Left(all.size(), all.stream().limit(EXAMPLES).map(String::valueOf).toList());
        }
    }

    /**
     * What was applied: the result's items, those matched to a task (and how), the tasks written, the summary's
     * size among the matched items, and what was left out.
     */
    public record Outcome(int items, int matched, String matchedBy, int patched, int summarySize, int tasks,
                          Left unmatchedTasks, Left unmatchedItems, Left ambiguousItems) { }

    private ResultApply() { }

    /** Applies the result; {@code defaultAnnotators} is the plugin's comma-separated setting, as the sync reads it. */
    public static Outcome apply(long projectId, Result result, LabelStudioClient client, Store store, String modelVersion,
                                String defaultAnnotators) {
        Project project = client.project(projectId);
        String field = LabelConfig.imageField(project.labelConfig())
                .orElseThrow(() -> new IllegalStateException("project " + projectId + " has no <Image value=\"$field\"> in its label config"));
        Map<Long, Task> tasks = new LinkedHashMap<>();
        client.tasks(projectId).forEach(t -> tasks.put(t.id(), t));
        Map<Long, String> imageOf = new LinkedHashMap<>();
        tasks.forEach((id, t) -> imageOf.put(id, t.data() != null && t.data().hasNonNull(field) ? t.data().get(field).asText() : ""));

        List<String> items = Stream.concat(result.order().stream(), result.errors().stream().map(Result.ItemError::item)).toList();
        TaskMatch.Outcome match = TaskMatch.of(items, imageOf);
        Result byTask = byTask(result, match.taskOf());
        int patched = 0;
        if (!match.taskOf().isEmpty()) {
            store.projects().ensure(projectId);
            JsonNode extra = store.projects().get(projectId).map(ProjectStore.Project::settings).orElse(null);
            List<String> annotators = SyncService.annotators(extra, SyncService.split(defaultAnnotators));
            ProjectSync writer = new ProjectSync(store, client, ImageLoader.defaults(), modelVersion);
            patched = writer.writeQueue(projectId, tasks, byTask, annotators);
            writer.writeViews(projectId, annotators);
        }
        List<String> ambiguous = match.ambiguous().stream().map(a -> a.item() + " (" + a.why() + ")").toList();
        return new Outcome(items.size(), match.taskOf().size(), match.kind() == TaskMatch.Kind.TASK_ID ? "task id" : "image",
                patched, byTask.summarySize(), tasks.size(), Left.of(match.unmatchedTasks()), Left.of(match.unmatchedItems()),
                Left.of(ambiguous));
    }

    /**
     * The result restricted to the matched items and named by task id, as the sync names them: the order keeps its
     * sequence, so the delegates among the matched items stay first; links to unmatched delegates are dropped.
     */
    static Result byTask(Result r, Map<String, Long> taskOf) {
        List<String> order = new ArrayList<>();
        Set<String> delegates = new HashSet<>();
        int summarySize = 0;
        for (int rank = 0; rank < r.order().size(); rank++) {
            Long task = taskOf.get(r.order().get(rank));
            if (task == null) continue;
            order.add(task.toString());
            if (rank < r.summarySize()) {
                summarySize++;
                delegates.add(r.order().get(rank));
            }
        }
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        r.links().forEach((item, ls) -> {
            Long task = taskOf.get(item);
            if (task == null) return;
            links.put(task.toString(), ls.stream().filter(l -> delegates.contains(l.delegate()))
                    .map(l -> new Result.Link(taskOf.get(l.delegate()).toString(), l.weight())).toList());
        });
        List<List<String>> duplicates = new ArrayList<>();
        for (List<String> g : r.duplicates()) {
            List<String> kept = g.stream().filter(taskOf::containsKey).map(i -> taskOf.get(i).toString()).toList();
            if (kept.size() > 1) duplicates.add(kept);
        }
        List<Result.ItemError> errors = r.errors().stream().filter(e -> taskOf.containsKey(e.item()))
                .map(e -> new Result.ItemError(taskOf.get(e.item()).toString(), e.error())).toList();
        return new Result(order, summarySize, links, duplicates, errors);
    }
}
