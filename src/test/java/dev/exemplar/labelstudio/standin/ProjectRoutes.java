package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.labelstudio.standin.StandInState.Annotation;
import dev.exemplar.labelstudio.standin.StandInState.Prediction;
import dev.exemplar.labelstudio.standin.StandInState.Project;
import dev.exemplar.labelstudio.standin.StandInState.Task;
import dev.exemplar.labelstudio.standin.StandInState.User;
import io.javalin.Javalin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.bodyObject;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.json;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.pathId;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.queryLong;

/**
 * Projects, import, tasks, predictions and annotations (PROTOCOL B.2-B.5).
 *
 * <p>{@code PATCH /api/tasks/{id}}: {@code data} and {@code meta} are JSON fields that LS replaces
 * whole, never merges (B.3); a new {@code data} that lacks a key the label config reads
 * ({@code $image}) is refused with 400, like an import. No webhook fires on task update.
 */
final class ProjectRoutes {
    private static final Set<String> READ_ONLY_PROJECT = Set.of("id", "created_by", "created_at", "organization",
            "task_number", "num_tasks_with_annotations", "parsed_label_config", "control_weights");
    private final LabelStudioStandIn ls;
    private final StandInState s;

    ProjectRoutes(LabelStudioStandIn ls) {
        this.ls = ls;
        this.s = ls.state;
    }

    void register(Javalin app) {
        app.post("/api/projects", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                Project p = createProject(u, b);
                json(ctx, 201, ls.ser.project(p, false));
            }
        });
        app.get("/api/projects", ctx -> {
            ls.user(ctx);
            synchronized (s) {
                ArrayNode results = StandInState.array();
                s.projects.values().forEach(p -> results.add(ls.ser.project(p, true)));
                ObjectNode page = StandInState.object().put("count", results.size());
                page.putNull("next");
                page.putNull("previous");
                page.set("results", results);
                json(ctx, 200, page);
            }
        });
        app.get("/api/projects/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, ls.ser.project(ls.project(pathId(ctx, "id")), true)); }
        });
        app.patch("/api/projects/{id}", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            List<Operations.Delivery> hooks;
            ObjectNode answer;
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                String oldConfig = p.labelConfig();
                // LS projects/serializers.py validate_model_version: a new, non-empty model version must be a
                // connected backend's title or a version that already has predictions in the project
                if (b.has("model_version") && !b.get("model_version").asText("").isEmpty()
                        && !b.get("model_version").asText().equals(p.modelVersion())) {
                    String v = b.get("model_version").asText();
                    boolean live = s.mlBackends.values().stream().anyMatch(m -> m.project == p.id && v.equals(m.title));
                    boolean stored = s.predictions.values().stream().anyMatch(x -> x.project == p.id && v.equals(x.modelVersion));
                    if (!live && !stored) {
                        throw ApiError.validation("model_version", "Model version doesn't exist either as live model or as static predictions.");
                    }
                }
                b.fields().forEachRemaining(e -> {
                    if (!READ_ONLY_PROJECT.contains(e.getKey())) p.settings.set(e.getKey(), e.getValue());
                });
                // Captured (73): turning on training on annotation raises min_annotations_to_start_training from 0 to 1.
                if (b.path("start_training_on_annotation_update").asBoolean(false) && !b.has("min_annotations_to_start_training")
                        && p.settings.path("min_annotations_to_start_training").asInt(0) == 0) {
                    p.settings.put("min_annotations_to_start_training", 1);
                }
                // LS drops the project's views when the label config changes (B.2).
                if (!oldConfig.equals(p.labelConfig())) s.views.values().removeIf(v -> v.project == p.id);
                p.updatedAt = s.now();
                answer = ls.ser.project(p, true);
                hooks = ls.ops.event(p.id, "PROJECT_UPDATED", () -> StandInState.object().set("project", ls.ser.projectForWebhook(p)));
            }
            ls.ops.deliver(hooks);
            json(ctx, 200, answer);
        });
        app.delete("/api/projects/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                for (Task t : s.tasksOf(p.id)) deleteTask(t);
                s.views.values().removeIf(v -> v.project == p.id);
                s.webhooks.values().removeIf(w -> w.project != null && w.project == p.id);
                s.mlBackends.values().removeIf(m -> m.project == p.id);
                s.projects.remove(p.id);
            }
            ctx.status(204);
        });

        // LS projects/api.py ProjectModelVersions.delete and Project.delete_predictions: every prediction of that
        // version goes; the project's model_version becomes null when it was that version or any backend's title
        app.delete("/api/projects/{id}/model-versions", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            String version = b.path("model_version").asText("");
            if (version.isEmpty()) throw new ApiError(400, "model_version param is required");
            int deleted;
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                boolean backendTitle = s.mlBackends.values().stream().anyMatch(m -> m.project == p.id && m.title.equals(p.modelVersion()));
                if (p.modelVersion().equals(version) || backendTitle) p.settings.putNull("model_version");
                int before = s.predictions.size();
                s.predictions.values().removeIf(x -> x.project == p.id && x.modelVersion.equals(version));
                deleted = before - s.predictions.size();
            }
            json(ctx, 200, StandInState.object().put("deleted_predictions", deleted));
        });

        app.post("/api/projects/{id}/import", ctx -> {
            User u = ls.user(ctx);
            JsonNode b = LabelStudioStandIn.body(ctx);
            long started = System.nanoTime();
            List<Operations.Delivery> hooks;
            ObjectNode answer;
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                ImportResult r = importTasks(p, b.isArray() ? b : StandInState.array().add(b), u.id);
                answer = StandInState.object().put("task_count", r.tasks.size()).put("annotation_count", r.annotations)
                        .put("prediction_count", r.predictions).put("duration", (System.nanoTime() - started) / 1e9);
                answer.putArray("file_upload_ids");
                answer.put("could_be_tasks_list", false);
                answer.putArray("found_formats");
                answer.putArray("data_columns");
                // Label Studio 1.23 names the new tasks when asked to
                if (Boolean.parseBoolean(ctx.queryParam("return_task_ids"))) r.tasks.forEach(t -> answer.withArray("task_ids").add(t.id));
                hooks = r.hooks;
            }
            ls.ops.deliver(hooks);
            json(ctx, 201, answer);
        });
        app.post("/api/projects/{id}/import/predictions", ctx -> {
            User u = ls.user(ctx);
            JsonNode b = LabelStudioStandIn.body(ctx);
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                int n = 0;
                for (JsonNode item : b) {
                    Task t = s.tasks.get(item.path("task").asLong());
                    if (t == null || t.project != p.id) throw ApiError.validation("task", "Invalid pk \"" + item.path("task").asText() + "\" - object does not exist.");
                    ls.ops.createPrediction(t, item, p.modelVersion(), u.id);
                    n++;
                }
                json(ctx, 201, StandInState.object().put("created", n));
            }
        });

        // Plain list in "last updated first" order (captures 39, 40), optionally sliced by page/page_size.
        app.get("/api/projects/{id}/tasks", ctx -> {
            ls.user(ctx);
            synchronized (s) {
                Project p = ls.project(pathId(ctx, "id"));
                List<Task> tasks = s.tasksOf(p.id);
                tasks.sort(Comparator.comparing((Task t) -> t.updatedAt).reversed().thenComparing(t -> -t.id));
                Long page = queryLong(ctx, "page");
                Long size = queryLong(ctx, "page_size");
                if (page != null || size != null) tasks = DataManagerRoutes.page(tasks, page == null ? 1 : page, size == null ? 100 : size);
                ArrayNode out = StandInState.array();
                for (Task t : tasks) out.add(ls.ser.taskSimple(t, true));
                json(ctx, 200, out);
            }
        });

        app.get("/api/tasks/{id}", ctx -> {
            User u = ls.user(ctx);
            long id = pathId(ctx, "id");
            long projectId;
            boolean predict;
            synchronized (s) {
                Task t = ls.task(id);
                projectId = t.project;
                Project p = s.projects.get(t.project);
                // Captured: with show_collab_predictions on, a task without predictions is sent to the ML backend first.
                predict = (p.showCollabPredictions() || p.settings.path("evaluate_predictions_automatically").asBoolean())
                        && s.predictionsOf(id).isEmpty() && !s.mlBackendsOf(p.id).isEmpty();
            }
            if (predict) ls.ops.predictTasks(projectId, List.of(id), u.id);
            synchronized (s) { json(ctx, 200, ls.ser.taskDetail(ls.task(id))); }
        });
        app.patch("/api/tasks/{id}", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                Task t = ls.task(pathId(ctx, "id"));
                s.taskPatches++;
                if (b.has("data")) {
                    if (!b.get("data").isObject()) throw ApiError.validation("data", "Value must be valid JSON.");
                    ObjectNode data = (ObjectNode) b.get("data");
                    requireConfigKeys(s.projects.get(t.project), data);
                    t.data = data.deepCopy();
                }
                if (b.has("meta")) t.meta = b.get("meta").deepCopy();
                s.touch(t, u.id);
                json(ctx, 200, ls.ser.taskSimple(t, false));
            }
        });
        app.delete("/api/tasks/{id}", ctx -> {
            ls.user(ctx);
            List<Operations.Delivery> hooks;
            synchronized (s) {
                Task t = ls.task(pathId(ctx, "id"));
                deleteTask(t);
                hooks = ls.ops.event(t.project, "TASKS_DELETED", () -> tasksDeletedPayload(t.project, List.of(t.id)));
            }
            ls.ops.deliver(hooks);
            ctx.status(204);
        });

        // Uploaded media; like LS it needs the same credentials as the API.
        app.get("/data/upload/<path>", ctx -> {
            ls.user(ctx);
            byte[] bytes;
            synchronized (s) { bytes = s.uploads.get(ctx.pathParam("path")); }
            if (bytes == null) throw ApiError.notFound();
            ctx.contentType(java.net.URLConnection.guessContentTypeFromName(ctx.pathParam("path")) == null
                    ? "application/octet-stream" : java.net.URLConnection.guessContentTypeFromName(ctx.pathParam("path")));
            ctx.result(bytes);
        });

        // ----- predictions -----
        app.get("/api/predictions", ctx -> {
            ls.user(ctx);
            Long task = queryLong(ctx, "task");
            Long project = queryLong(ctx, "project");
            synchronized (s) {
                ArrayNode out = StandInState.array();
                for (Prediction p : s.predictions.values()) {
                    if ((task == null || p.task == task) && (project == null || p.project == project)) out.add(ls.ser.prediction(p));
                }
                json(ctx, 200, out);
            }
        });
        app.post("/api/predictions", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                if (!b.hasNonNull("task")) throw ApiError.validation("task", "This field is required.");
                Task t = s.tasks.get(b.get("task").asLong());
                if (t == null) throw ApiError.validation("task", "Invalid pk \"" + b.get("task").asText() + "\" - object does not exist.");
                if (!b.path("result").isArray()) throw ApiError.validation("result", "This field is required.");
                Prediction p = ls.ops.createPrediction(t, b, s.projects.get(t.project).modelVersion(), u.id);
                json(ctx, 201, ls.ser.prediction(p));
            }
        });
        app.get("/api/predictions/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, ls.ser.prediction(prediction(pathId(ctx, "id")))); }
        });
        app.patch("/api/predictions/{id}", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                Prediction p = prediction(pathId(ctx, "id"));
                if (b.has("result")) p.result = b.get("result").deepCopy();
                if (b.has("score")) p.score = b.get("score").isNull() ? null : b.get("score").asDouble();
                if (b.has("model_version")) p.modelVersion = b.get("model_version").asText();
                if (b.has("cluster")) p.cluster = b.get("cluster");
                if (b.has("neighbors")) p.neighbors = b.get("neighbors");
                p.updatedAt = s.now();
                json(ctx, 200, ls.ser.prediction(p));
            }
        });
        app.delete("/api/predictions/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { s.predictions.remove(prediction(pathId(ctx, "id")).id); }
            ctx.status(204);
        });

        // ----- annotations -----
        app.get("/api/tasks/{id}/annotations", ctx -> {
            ls.user(ctx);
            synchronized (s) {
                Task t = ls.task(pathId(ctx, "id"));
                ArrayNode out = StandInState.array();
                for (Annotation a : s.annotationsOf(t.id)) out.add(ls.ser.annotation(a, false));
                json(ctx, 200, out);
            }
        });
        app.post("/api/tasks/{id}/annotations", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            List<Operations.Delivery> hooks = new ArrayList<>();
            ObjectNode answer;
            String trainUrl = null;
            ObjectNode trainBody = null;
            synchronized (s) {
                Task t = ls.task(pathId(ctx, "id"));
                Project p = s.projects.get(t.project);
                Annotation a = new Annotation(s.nextAnnotationId(), t.id, t.project, u.id, s.now());
                a.result = b.path("result").isArray() ? b.get("result").deepCopy() : StandInState.array();
                a.wasCancelled = b.path("was_cancelled").asBoolean(false);
                a.groundTruth = b.path("ground_truth").asBoolean(false);
                a.leadTime = b.hasNonNull("lead_time") ? b.get("lead_time").asDouble() : null;
                s.annotations.put(a.id, a);
                s.touch(t, u.id);
                s.locks.removeIf(l -> l.task == t.id && l.user == u.id);
                answer = ls.ser.annotation(a, false);
                // Captured order: START_TRAINING to the ML backend first, then the webhooks.
                if (p.settings.path("start_training_on_annotation_update").asBoolean() && !s.mlBackendsOf(p.id).isEmpty()) {
                    trainUrl = s.mlBackendsOf(p.id).get(0).url;
                    trainBody = StandInState.object().put("action", "START_TRAINING");
                    trainBody.set("project", ls.ser.projectForWebhook(p));
                }
                hooks.addAll(ls.ops.event(t.project, "ANNOTATION_CREATED", () -> annotationPayload(a)));
            }
            if (trainUrl != null) ls.outbound.mlWebhook(trainUrl, trainBody, java.time.Duration.ofSeconds(100));
            ls.ops.deliver(hooks);
            json(ctx, 201, answer);
        });
        app.get("/api/annotations/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, ls.ser.annotation(annotation(pathId(ctx, "id")), false)); }
        });
        app.patch("/api/annotations/{id}", ctx -> {
            User u = ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            List<Operations.Delivery> hooks;
            ObjectNode answer;
            synchronized (s) {
                Annotation a = annotation(pathId(ctx, "id"));
                if (b.has("result")) a.result = b.get("result").deepCopy();
                if (b.has("was_cancelled")) a.wasCancelled = b.get("was_cancelled").asBoolean();
                if (b.has("ground_truth")) a.groundTruth = b.get("ground_truth").asBoolean();
                if (b.has("lead_time")) a.leadTime = b.get("lead_time").isNull() ? null : b.get("lead_time").asDouble();
                a.updatedAt = s.now();
                a.updatedBy = u.id;
                s.touch(s.tasks.get(a.task), u.id);
                answer = ls.ser.annotation(a, false);
                hooks = ls.ops.event(a.project, "ANNOTATION_UPDATED", () -> annotationPayload(a));
            }
            ls.ops.deliver(hooks);
            json(ctx, 200, answer);
        });
        app.delete("/api/annotations/{id}", ctx -> {
            User u = ls.user(ctx);
            List<Operations.Delivery> hooks;
            synchronized (s) {
                Annotation a = annotation(pathId(ctx, "id"));
                s.annotations.remove(a.id);
                s.touch(s.tasks.get(a.task), u.id);
                hooks = ls.ops.event(a.project, "ANNOTATIONS_DELETED", () -> {
                    ObjectNode o = StandInState.object();
                    o.putArray("annotations").addObject().put("id", a.id);
                    o.set("project", ls.ser.projectForWebhook(s.projects.get(a.project)));
                    return o;
                });
            }
            ls.ops.deliver(hooks);
            ctx.status(204);
        });
    }

    // ----- shared with the seeding API -----

    Project createProject(User u, ObjectNode b) {
        ObjectNode settings = Serializers.projectDefaults();
        b.fields().forEachRemaining(e -> {
            if (!READ_ONLY_PROJECT.contains(e.getKey())) settings.set(e.getKey(), e.getValue());
        });
        Project p = new Project(s.nextProjectId(), u.id, s.now(), settings);
        s.projects.put(p.id, p);
        return p;
    }

    record ImportResult(List<Task> tasks, int annotations, int predictions, List<Operations.Delivery> hooks) {}

    /**
     * LS import: each item is {@code {"data": {...}, "meta", "predictions", "annotations"}} or a bare
     * data object. Data keys become Data Manager columns; TASKS_CREATED fires once for the batch.
     */
    ImportResult importTasks(Project p, JsonNode items, Long userId) {
        List<ObjectNode> datas = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isObject()) throw ApiError.validation("non_field_errors", "Task should be a dict");
            ObjectNode data = item.has("data") && item.get("data").isObject() ? (ObjectNode) item.get("data") : (ObjectNode) item;
            requireConfigKeys(p, data);
            datas.add(data);
        }
        List<Task> created = new ArrayList<>();
        int anns = 0, preds = 0;
        int i = 0;
        for (JsonNode item : items) {
            ObjectNode data = datas.get(i++);
            Task t = new Task(s.nextTaskId(), p.id, p.nextInnerId++, s.now(), data.deepCopy(),
                    item.has("data") && item.has("meta") ? item.get("meta").deepCopy() : StandInState.object());
            s.tasks.put(t.id, t);
            data.fieldNames().forEachRemaining(p.dataColumns::add);
            if (item.has("data")) {
                for (JsonNode pr : item.path("predictions")) {
                    ls.ops.createPrediction(t, pr, p.modelVersion(), null);
                    t.updatedAt = t.createdAt;
                    preds++;
                }
                for (JsonNode an : item.path("annotations")) {
                    long by = an.path("completed_by").isNumber() ? an.get("completed_by").asLong() : (userId == null ? p.createdBy : userId);
                    Annotation a = new Annotation(s.nextAnnotationId(), t.id, p.id, s.users.containsKey(by) ? by : p.createdBy, s.now());
                    a.result = an.path("result").isArray() ? an.get("result").deepCopy() : StandInState.array();
                    a.wasCancelled = an.path("was_cancelled").asBoolean(false);
                    a.groundTruth = an.path("ground_truth").asBoolean(false);
                    s.annotations.put(a.id, a);
                    anns++;
                }
            }
            created.add(t);
        }
        List<Operations.Delivery> hooks = created.isEmpty() ? List.of() : ls.ops.event(p.id, "TASKS_CREATED", () -> {
            ObjectNode o = StandInState.object();
            ArrayNode arr = o.putArray("tasks");
            for (Task t : created) arr.add(ls.ser.taskForWebhook(t));
            o.set("project", ls.ser.projectForWebhook(p));
            return o;
        });
        return new ImportResult(created, anns, preds, hooks);
    }

    /** The data keys the label config reads ({@code value="$key"}) must be present. */
    void requireConfigKeys(Project p, ObjectNode data) {
        for (var in : Serializers.LabelConfig.parse(p.labelConfig()).inputs) {
            if (!in.value().isEmpty() && !data.has(in.value())) {
                throw ApiError.validation("data", "\"" + in.value() + "\" key is expected in task data");
            }
        }
    }

    ObjectNode annotationPayload(Annotation a) {
        ObjectNode o = StandInState.object();
        o.set("annotation", ls.ser.annotationForWebhook(a));
        o.set("project", ls.ser.projectForWebhook(s.projects.get(a.project)));
        o.set("task", ls.ser.taskForWebhook(s.tasks.get(a.task)));
        return o;
    }

    ObjectNode tasksDeletedPayload(long projectId, List<Long> ids) {
        ObjectNode o = StandInState.object();
        ArrayNode arr = o.putArray("tasks");
        ids.forEach(id -> arr.addObject().put("id", id));
        Project p = s.projects.get(projectId);
        if (p != null) o.set("project", ls.ser.projectForWebhook(p));
        return o;
    }

    void deleteTask(Task t) {
        s.tasks.remove(t.id);
        s.predictions.values().removeIf(p -> p.task == t.id);
        s.annotations.values().removeIf(a -> a.task == t.id);
        s.locks.removeIf(l -> l.task == t.id);
    }

    private Prediction prediction(long id) {
        Prediction p = s.predictions.get(id);
        if (p == null) throw ApiError.notFound();
        return p;
    }

    private Annotation annotation(long id) {
        Annotation a = s.annotations.get(id);
        if (a == null) throw ApiError.notFound();
        return a;
    }
}
