package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.labelstudio.standin.StandInState.Project;
import dev.exemplar.labelstudio.standin.StandInState.Task;
import dev.exemplar.labelstudio.standin.StandInState.User;
import dev.exemplar.labelstudio.standin.StandInState.View;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.bodyObject;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.json;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.pathId;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.queryLong;

/**
 * Data Manager: views, the task list {@code GET /api/tasks}, columns, actions, and the next-task
 * endpoints (PROTOCOL B.6-B.8, captures 36-38 and 50-67).
 *
 * <p>How the next task is prepared, as captured (where the capture and PROTOCOL B.7 differ, the
 * capture is followed):
 * <ul>
 *   <li>{@code GET /api/projects/{id}/next?view=V}: the tasks are filtered and ordered by view V,
 *       but it is the sampling path (lock-aware, takes a lock, "Sequence queue"): capture 61/62.</li>
 *   <li>{@code POST /api/dm/actions?id=next_task} with {@code filters}, {@code ordering} or
 *       {@code selectedItems} in the body ("Label Tasks As Displayed"): the Data Manager queue,
 *       first unsolved task in that order, locks ignored and not taken (capture 63).</li>
 *   <li>the same action with body {@code {}} ("Label All Tasks"): sampling over all tasks in id
 *       order (capture 64); with body {@code {"view": V}}: sampling over view V's order (65).</li>
 * </ul>
 */
final class DataManagerRoutes {
    private final LabelStudioStandIn ls;
    private final StandInState s;

    DataManagerRoutes(LabelStudioStandIn ls) {
        this.ls = ls;
        this.s = ls.state;
    }

    void register(Javalin app) {
        app.get("/api/dm/views", ctx -> {
            ls.user(ctx);
            Long project = queryLong(ctx, "project");
            synchronized (s) {
                ArrayNode out = StandInState.array();
                s.views.values().stream().filter(v -> project == null || v.project == project)
                        .sorted((a, b) -> a.order != b.order ? Integer.compare(a.order, b.order) : Long.compare(a.id, b.id))
                        .forEach(v -> out.add(ls.ser.view(v)));
                json(ctx, 200, out);
            }
        });
        app.post("/api/dm/views", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                Project p = s.projects.get(b.path("project").asLong());
                if (p == null) throw ApiError.validation("project", "Invalid pk \"" + b.path("project").asText() + "\" - object does not exist.");
                json(ctx, 201, ls.ser.view(createView(p.id, u.id, b.path("data"))));
            }
        });
        app.delete("/api/dm/views/reset", ctx -> {
            ls.user(ctx);
            Long project = queryLong(ctx, "project");
            if (project == null) project = LabelStudioStandIn.bodyObject(ctx).path("project").asLong();
            long pid = project;
            synchronized (s) { s.views.values().removeIf(v -> v.project == pid); }
            ctx.status(204);
        });
        app.get("/api/dm/views/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, ls.ser.view(view(pathId(ctx, "id")))); }
        });
        app.patch("/api/dm/views/{id}", ctx -> updateView(ctx));
        app.put("/api/dm/views/{id}", ctx -> updateView(ctx));
        app.delete("/api/dm/views/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { s.views.remove(view(pathId(ctx, "id")).id); }
            ctx.status(204);
        });

        app.get("/api/dm/columns", ctx -> {
            ls.user(ctx);
            Long project = queryLong(ctx, "project");
            synchronized (s) { json(ctx, 200, columns(ls.project(project == null ? -1 : project))); }
        });

        app.get("/api/tasks", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, taskList(ctx)); }
        });

        app.get("/api/projects/{id}/next", ctx -> {
            User u = ls.user(ctx);
            Long viewId = queryLong(ctx, "view");
            Operations.Next next;
            long projectId;
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                projectId = p.id;
                View v = viewId == null ? null : view(viewId);
                List<Task> prepared = v == null ? prepare(p, null, null, null, null) : prepare(p, v.data.get("filters"), v.data.get("ordering"), null, v.data.get("columnsDisplayType"));
                next = ls.ops.next(u, p, prepared, false);
                if (next == null) throw new ApiError(404, "There are no tasks for " + u.email);
            }
            answerNext(ctx, u, projectId, next);
        });

        app.post("/api/dm/actions", ctx -> {
            User u = ls.user(ctx);
            String action = ctx.queryParam("id");
            Long projectId = queryLong(ctx, "project");
            ObjectNode b = bodyObject(ctx);
            if (projectId == null) throw ApiError.notFound();
            switch (action == null ? "" : action) {
                case "next_task" -> nextTaskAction(ctx, u, projectId, b);
                case "retrieve_tasks_predictions" -> {
                    List<Long> ids = selectedIds(ctx, projectId, b);
                    ls.ops.predictTasks(projectId, ids, u.id);
                    json(ctx, 200, StandInState.object().put("processed_items", ids.size())
                            .put("detail", "Retrieved " + ids.size() + " predictions"));
                }
                case "delete_tasks_predictions" -> {
                    List<Long> ids = selectedIds(ctx, projectId, b);
                    synchronized (s) {
                        s.predictions.values().removeIf(p -> ids.contains(p.task));
                        s.projects.get(projectId).settings.put("evaluate_predictions_automatically", false);
                    }
                    json(ctx, 200, StandInState.object().put("processed_items", ids.size()).put("detail", "Deleted " + ids.size() + " predictions"));
                }
                case "delete_tasks" -> {
                    List<Long> ids = selectedIds(ctx, projectId, b);
                    List<Operations.Delivery> hooks;
                    ProjectRoutes pr = new ProjectRoutes(ls);
                    synchronized (s) {
                        for (long id : ids) pr.deleteTask(s.tasks.get(id));
                        hooks = ls.ops.event(projectId, "TASKS_DELETED", () -> pr.tasksDeletedPayload(projectId, ids));
                    }
                    ls.ops.deliver(hooks);
                    json(ctx, 200, StandInState.object().put("processed_items", ids.size()).put("reload", true));
                }
                default -> throw new ApiError(404, "Action \"" + action + "\" not found");
            }
        });
    }

    private void nextTaskAction(Context ctx, User u, long projectId, ObjectNode b) {
        Operations.Next next;
        synchronized (s) {
            Project p = ls.project(projectId);
            // LS filters_ordering_selected_items_exist(): any of the three makes it the DM queue.
            boolean dmQueue = truthy(b.get("filters")) || truthy(b.get("ordering")) || truthy(b.get("selectedItems"));
            JsonNode filters = b.get("filters"), ordering = b.get("ordering"), cdt = null;
            if (b.hasNonNull("view")) {
                View v = view(b.get("view").asLong());
                if (filters == null) filters = v.data.get("filters");
                if (ordering == null) ordering = v.data.get("ordering");
                cdt = v.data.get("columnsDisplayType");
            }
            List<Task> prepared = prepare(p, filters, ordering, b.get("selectedItems"), cdt);
            next = ls.ops.next(u, p, prepared, dmQueue);
            if (next == null) throw new ApiError(404, "There are no tasks for " + u.email);
        }
        answerNext(ctx, u, projectId, next);
    }

    /**
     * As captured (60-67): the task's fields are read before connected ML backends are asked to
     * predict it, and {@code predictions} after, keeping only those of the backends' (or the
     * project's) model version: what the annotator is shown for pre-labelling.
     */
    private void answerNext(Context ctx, User u, long projectId, Operations.Next next) {
        ObjectNode answer;
        boolean predict;
        synchronized (s) {
            answer = ls.ser.taskNext(next.task(), next.lockId(), next.queue());
            predict = s.projects.get(projectId).showCollabPredictions() && !s.mlBackendsOf(projectId).isEmpty();
        }
        if (predict) ls.ops.predictTasks(projectId, List.of(next.task().id), u.id);
        synchronized (s) {
            Project p = s.projects.get(projectId);
            java.util.Set<String> shown = new java.util.HashSet<>();
            s.mlBackendsOf(projectId).forEach(m -> shown.add(m.modelVersion));
            if (!p.modelVersion().isEmpty()) shown.add(p.modelVersion());
            ArrayNode preds = answer.putArray("predictions");
            for (var pr : s.predictionsOf(next.task().id)) if (shown.isEmpty() || shown.contains(pr.modelVersion)) preds.add(ls.ser.prediction(pr));
        }
        json(ctx, 200, answer);
    }

    private static boolean truthy(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return false;
        if (n.isContainerNode()) return !n.isEmpty();
        if (n.isTextual()) return !n.asText().isEmpty();
        return n.asBoolean(true);
    }

    private List<Long> selectedIds(Context ctx, long projectId, ObjectNode b) {
        synchronized (s) {
            Project p = ls.project(projectId);
            List<Task> tasks = prepare(p, b.get("filters"), b.get("ordering"), b.get("selectedItems"), null);
            List<Long> ids = new ArrayList<>();
            tasks.forEach(t -> ids.add(t.id));
            return ids;
        }
    }

    List<Task> prepare(Project p, JsonNode filters, JsonNode ordering, JsonNode selectedItems, JsonNode columnsDisplayType) {
        List<Task> tasks = ls.query.apply(s.tasksOf(p.id), filters, ordering, columnsDisplayType);
        return TaskQuery.selected(tasks, selectedItems);
    }

    /** {@code GET /api/tasks}: {@code {"total_annotations", "total_predictions", "total", "tasks"}}. */
    private ObjectNode taskList(Context ctx) {
        Long viewId = queryLong(ctx, "view");
        Long projectId = queryLong(ctx, "project");
        View v = null;
        if (viewId != null) {
            v = view(viewId);
            projectId = v.project;
        }
        if (projectId == null) throw new ApiError(404, "Neither project nor view id specified");
        Project p = ls.project(projectId);
        JsonNode filters = null, ordering = null, selected = null, cdt = null;
        if (v != null) {
            filters = v.data.get("filters");
            ordering = v.data.get("ordering");
            cdt = v.data.get("columnsDisplayType");
        }
        String q = ctx.queryParam("query");
        if (q != null && !q.isBlank()) {
            try {
                JsonNode query = StandInState.JSON.readTree(q);
                if (query.has("filters")) filters = query.get("filters");
                if (query.has("ordering")) ordering = query.get("ordering");
                selected = query.get("selectedItems");
            } catch (Exception e) {
                throw new ApiError(400, "query must be JSON");
            }
        }
        List<Task> tasks = prepare(p, filters, ordering, selected, cdt);
        int totalAnnotations = 0, totalPredictions = 0;
        for (Task t : tasks) {
            totalAnnotations += s.totalAnnotations(t.id);
            totalPredictions += s.predictionsOf(t.id).size();
        }
        int total = tasks.size();
        Long page = queryLong(ctx, "page");
        Long size = queryLong(ctx, "page_size");
        List<Task> slice = page(tasks, page == null ? 1 : page, size == null ? 100 : size);
        boolean all = "all".equals(ctx.queryParam("fields"));
        // LS computes the aggregate columns only for fields=all or for a view that lists its hidden columns.
        boolean evaluate = all || (v != null && v.data.has("hiddenColumns"));
        ObjectNode o = StandInState.object();
        o.put("total_annotations", totalAnnotations).put("total_predictions", totalPredictions).put("total", total);
        ArrayNode arr = o.putArray("tasks");
        for (Task t : slice) arr.add(ls.ser.taskDm(t, evaluate, all));
        return o;
    }

    /** DRF page-number pagination: 404 "Invalid page." past the end (page 1 of nothing is fine). */
    static <T> List<T> page(List<T> items, long page, long size) {
        if (size < 1) size = 100;
        long pages = Math.max(1, (items.size() + size - 1) / size);
        if (page < 1 || page > pages) throw new ApiError(404, "Invalid page.");
        int from = (int) ((page - 1) * size);
        return new ArrayList<>(items.subList(from, (int) Math.min(items.size(), from + size)));
    }

    View createView(long projectId, long userId, JsonNode data) {
        int order = (int) s.views.values().stream().filter(x -> x.project == projectId).count();
        View v = new View(s.nextViewId(), projectId, userId, order, data.isObject() ? ((ObjectNode) data).deepCopy() : StandInState.object());
        s.views.put(v.id, v);
        return v;
    }

    private void updateView(Context ctx) {
        ls.user(ctx);
        ObjectNode b = bodyObject(ctx);
        synchronized (s) {
            View v = view(pathId(ctx, "id"));
            if (b.has("data") && b.get("data").isObject()) v.data = ((ObjectNode) b.get("data")).deepCopy();
            if (b.has("order")) v.order = b.get("order").asInt();
            json(ctx, 200, ls.ser.view(v));
        }
    }

    private View view(long id) {
        View v = s.views.get(id);
        if (v == null) throw ApiError.notFound();
        return v;
    }

    /** {@code GET /api/dm/columns}: data columns learnt at import, then LS's system columns (capture 58). */
    private ObjectNode columns(Project p) {
        ObjectNode out = StandInState.object();
        ArrayNode cols = out.putArray("columns");
        ObjectNode types = Serializers.LabelConfig.parse(p.labelConfig()).dataTypes();
        List<String> keys = new ArrayList<>();
        types.fieldNames().forEachRemaining(keys::add);
        for (String k : p.dataColumns) if (!keys.contains(k)) keys.add(k);
        for (String k : keys) {
            ObjectNode c = cols.addObject();
            boolean inConfig = types.has(k);
            c.put("id", k).put("title", k).put("type", inConfig ? types.get(k).asText() : "Unknown").put("target", "tasks").put("parent", "data");
            c.putObject("visibility_defaults").put("explore", true).put("labeling", inConfig);
            c.put("project_defined", true);
        }
        ArrayNode userIds = StandInState.array();
        s.users.keySet().forEach(userIds::add);
        java.util.LinkedHashSet<String> versions = new java.util.LinkedHashSet<>();
        s.predictions.values().stream().filter(x -> x.project == p.id).forEach(x -> versions.add(x.modelVersion));
        if (!p.modelVersion().isEmpty()) versions.add(p.modelVersion());
        Object[][] system = {
                {"id", "ID", "Number", true, false, "Task ID"},
                {"inner_id", "Inner ID", "Number", false, false, "Internal task ID starting from 1 for the current project"},
                {"completed_at", "Completed", "Datetime", true, false, "Last annotation date"},
                {"total_annotations", "Annotations", "Number", true, true, "Total annotations per task"},
                {"cancelled_annotations", "Cancelled", "Number", true, false, "Total cancelled (skipped) annotations"},
                {"total_predictions", "Predictions", "Number", true, false, "Total predictions per task"},
                {"annotators", "Annotated by", "List", true, false, "All users who completed the task"},
                {"annotations_results", "Annotation results", "String", false, false, "Annotation results stacked over all annotations"},
                {"annotations_ids", "Annotation IDs", "String", false, false, "Annotation IDs stacked over all annotations"},
                {"predictions_score", "Prediction score", "Number", false, false, "Average prediction score over all task predictions"},
                {"predictions_model_versions", "Prediction model versions", "List", false, false, "Model versions aggregated over all predictions"},
                {"predictions_results", "Prediction results", "String", false, false, "Prediction results stacked over all predictions"},
                {"file_upload", "Upload filename", "String", false, false, "Filename of uploaded file"},
                {"storage_filename", "Storage filename", "String", false, false, "Filename from import storage"},
                {"created_at", "Created at", "Datetime", false, false, "Task creation time"},
                {"updated_at", "Updated at", "Datetime", false, false, "Task update time"},
                {"updated_by", "Updated by", "List", false, false, "User who did the last task update"},
                {"avg_lead_time", "Lead Time", "Number", false, false, "Average lead time over all annotations (seconds)"},
                {"draft_exists", "Drafts", "Boolean", false, false, "True if at least one draft exists for the task"}};
        for (Object[] def : system) {
            ObjectNode c = cols.addObject();
            c.put("id", (String) def[0]).put("title", (String) def[1]).put("type", (String) def[2]).put("help", (String) def[5]).put("target", "tasks");
            if (def[0].equals("annotators") || def[0].equals("updated_by")) c.putObject("schema").set("items", userIds.deepCopy());
            if (def[0].equals("predictions_model_versions")) {
                ObjectNode schema = c.putObject("schema");
                ArrayNode items = schema.putArray("items");
                versions.forEach(items::add);
                schema.put("multiple", true);
            }
            c.putObject("visibility_defaults").put("explore", (Boolean) def[3]).put("labeling", (Boolean) def[4]);
            c.put("project_defined", false);
        }
        ObjectNode data = cols.addObject();
        data.put("id", "data").put("title", "data").put("type", "List").put("target", "tasks");
        ArrayNode children = data.putArray("children");
        keys.forEach(children::add);
        data.put("project_defined", false);
        return out;
    }
}
