package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.labelstudio.standin.StandInState.Annotation;
import dev.exemplar.labelstudio.standin.StandInState.MlBackend;
import dev.exemplar.labelstudio.standin.StandInState.Prediction;
import dev.exemplar.labelstudio.standin.StandInState.Project;
import dev.exemplar.labelstudio.standin.StandInState.Task;
import dev.exemplar.labelstudio.standin.StandInState.User;
import dev.exemplar.labelstudio.standin.StandInState.View;
import dev.exemplar.labelstudio.standin.StandInState.Webhook;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The JSON shapes Label Studio answers with, field for field as captured. LS has several task
 * serializers and a client sees all of them: the "simple" one ({@code /api/projects/{id}/tasks/},
 * {@code /predict} bodies), the Data Manager one ({@code /api/tasks}, with {@code updated_by} as a
 * list of {@code {"user_id"}}), the single-task one and the next-task one. Callers hold the state lock.
 */
final class Serializers {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> OBJECT_TAGS = Set.of("Image", "Text", "HyperText", "Audio", "AudioPlus", "Video",
            "TimeSeries", "Table", "Paragraphs", "Pdf", "Markdown", "List", "Chat");
    private static final Set<String> CONTROL_TAGS = Set.of("Choices", "Labels", "RectangleLabels", "PolygonLabels",
            "KeyPointLabels", "BrushLabels", "EllipseLabels", "HyperTextLabels", "ParagraphLabels", "TimeSeriesLabels",
            "VideoRectangle", "Rectangle", "Polygon", "KeyPoint", "Brush", "Ellipse", "TextArea", "Rating", "Taxonomy",
            "Number", "DateTime", "Ranker", "Pairwise", "Relations", "TimelineLabels", "MagicWand", "BitmaskLabels");

    private final StandInState s;

    Serializers(StandInState state) {
        this.s = state;
    }

    static String ts(Instant t) {
        return t == null ? null : TS.format(t);
    }

    /** Django's {@code timesince}, with its non-breaking space. */
    String createdAgo(Instant t) {
        long minutes = Math.max(0, Duration.between(t, s.now()).toMinutes());
        return minutes + "\u00a0" + (minutes == 1 ? "minute" : "minutes");
    }

    // ----- users -----

    ObjectNode whoami(User u) {
        ObjectNode o = StandInState.object();
        o.put("id", u.id).put("first_name", u.firstName).put("last_name", u.lastName).put("username", "")
                .put("email", u.email).put("last_activity", ts(u.lastActivity));
        o.putObject("custom_hotkeys");
        o.putNull("avatar");
        o.put("initials", u.initials()).put("phone", "").put("active_organization", 1);
        o.putObject("active_organization_meta").put("title", "Label Studio").put("email", s.users.get(1L).email);
        o.putNull("allow_newsletters");
        o.put("date_joined", ts(u.dateJoined));
        ArrayNode perms = o.putArray("permissions");
        for (String p : PERMISSIONS) perms.add(p);
        return o;
    }

    ObjectNode userBrief(User u, boolean withInitials) {
        ObjectNode o = StandInState.object();
        o.put("id", u.id).put("first_name", u.firstName).put("last_name", u.lastName);
        if (withInitials) {
            o.putNull("avatar");
            o.put("email", u.email).put("initials", u.initials());
        } else {
            o.put("email", u.email);
            o.putNull("avatar");
        }
        return o;
    }

    // ----- projects -----

    /** {@code counts=false} is the shape of the create response, where LS has not annotated counts yet. */
    ObjectNode project(Project p, boolean counts) {
        ObjectNode st = p.settings;
        ObjectNode o = StandInState.object();
        o.put("id", p.id);
        o.put("title", st.path("title").asText(""));
        o.put("description", st.path("description").asText(""));
        o.put("label_config", p.labelConfig());
        copy(o, st, "expert_instruction", "show_instruction", "show_skip_button", "enable_empty_annotation", "show_annotation_history");
        o.put("organization", 1);
        copy(o, st, "color", "maximum_annotations", "is_published", "model_version", "is_draft");
        User creator = s.users.get(p.createdBy);
        ObjectNode cb = o.putObject("created_by");
        cb.put("id", creator.id).put("first_name", creator.firstName).put("last_name", creator.lastName).put("email", creator.email);
        cb.putNull("avatar");
        o.put("created_at", ts(p.createdAt));
        copy(o, st, "min_annotations_to_start_training", "start_training_on_annotation_update", "show_collab_predictions");
        Counts c = counts(p);
        putCount(o, "num_tasks_with_annotations", counts, c.tasksWithAnnotations);
        putCount(o, "task_number", counts, c.tasks);
        putCount(o, "useful_annotation_number", counts, c.useful);
        putCount(o, "ground_truth_number", counts, c.groundTruth);
        putCount(o, "skipped_annotations_number", counts, c.skipped);
        putCount(o, "total_annotations_number", counts, c.useful + c.skipped);
        putCount(o, "total_predictions_number", counts, c.predictions);
        copy(o, st, "sampling", "show_ground_truth_first", "show_overlap_first", "overlap_cohort_percentage",
                "task_data_login", "task_data_password");
        LabelConfig lc = LabelConfig.parse(p.labelConfig());
        o.set("control_weights", lc.controlWeights());
        o.set("parsed_label_config", lc.parsed());
        copy(o, st, "evaluate_predictions_automatically");
        o.put("config_has_control_tags", !lc.controls.isEmpty());
        copy(o, st, "skip_queue", "reveal_preannotations_interactively", "pinned_at");
        putCount(o, "finished_task_number", counts, c.finished);
        o.put("queue_total", counts ? c.tasks : 0);
        o.put("queue_done", counts ? c.finished : 0);
        o.put("config_suitable_for_bulk_annotation", lc.suitableForBulk());
        return o;
    }

    /** The project object inside webhook payloads (LS {@code ProjectWebhookSerializer}: all model fields). */
    ObjectNode projectForWebhook(Project p) {
        ObjectNode st = p.settings;
        Counts c = counts(p);
        LabelConfig lc = LabelConfig.parse(p.labelConfig());
        ObjectNode o = StandInState.object();
        o.put("id", p.id).put("task_number", c.tasks).put("finished_task_number", c.finished)
                .put("total_predictions_number", c.predictions).put("total_annotations_number", c.useful + c.skipped)
                .put("num_tasks_with_annotations", c.tasksWithAnnotations).put("useful_annotation_number", c.useful)
                .put("ground_truth_number", c.groundTruth).put("skipped_annotations_number", c.skipped);
        o.put("title", st.path("title").asText("")).put("description", st.path("description").asText(""));
        o.put("label_config", p.labelConfig());
        o.set("parsed_label_config", lc.parsed());
        o.put("label_config_hash", (long) p.labelConfig().hashCode());
        copy(o, st, "expert_instruction", "show_instruction", "show_skip_button", "enable_empty_annotation",
                "reveal_preannotations_interactively", "show_annotation_history", "show_collab_predictions",
                "evaluate_predictions_automatically");
        o.put("token", "project-" + p.id);
        o.put("result_count", 0);
        copy(o, st, "color", "maximum_annotations", "min_annotations_to_start_training");
        o.set("control_weights", lc.controlWeights());
        copy(o, st, "model_version");
        o.set("data_types", lc.dataTypes());
        copy(o, st, "is_draft", "is_published");
        o.put("created_at", ts(p.createdAt)).put("updated_at", ts(p.updatedAt));
        copy(o, st, "sampling", "skip_queue", "show_ground_truth_first", "show_overlap_first", "overlap_cohort_percentage",
                "task_data_login", "task_data_password", "pinned_at");
        o.putNull("custom_task_lock_ttl");
        o.putNull("deleted_at");
        o.putNull("purge_at");
        o.putNull("search_vector");
        o.put("organization", 1).put("created_by", p.createdBy);
        o.putNull("deleted_by");
        return o;
    }

    /** Defaults of a new LS project (captured create response). */
    static ObjectNode projectDefaults() {
        ObjectNode d = StandInState.object();
        d.put("title", "").put("description", "").put("label_config", "<View></View>").put("expert_instruction", "")
                .put("show_instruction", false).put("show_skip_button", true).put("enable_empty_annotation", true)
                .put("show_annotation_history", false).put("color", "#FFFFFF").put("maximum_annotations", 1)
                .put("is_published", false).put("model_version", "").put("is_draft", false)
                .put("min_annotations_to_start_training", 0).put("start_training_on_annotation_update", false)
                .put("show_collab_predictions", true).put("sampling", "Sequential sampling")
                .put("show_ground_truth_first", false).put("show_overlap_first", false)
                .put("overlap_cohort_percentage", 100);
        d.putNull("task_data_login");
        d.putNull("task_data_password");
        d.put("evaluate_predictions_automatically", false).put("skip_queue", "REQUEUE_FOR_OTHERS")
                .put("reveal_preannotations_interactively", false);
        d.putNull("pinned_at");
        return d;
    }

    private record Counts(int tasks, int finished, int tasksWithAnnotations, int useful, int skipped, int groundTruth, int predictions) {}

    private Counts counts(Project p) {
        int tasks = 0, finished = 0, withAnn = 0, useful = 0, skipped = 0, gt = 0, preds = 0;
        for (Task t : s.tasksOf(p.id)) {
            tasks++;
            if (s.isLabeled(t)) finished++;
            int total = s.totalAnnotations(t.id);
            if (total > 0) withAnn++;
            useful += total;
            skipped += s.cancelledAnnotations(t.id);
            for (Annotation a : s.annotationsOf(t.id)) if (a.groundTruth) gt++;
            preds += s.predictionsOf(t.id).size();
        }
        return new Counts(tasks, finished, withAnn, useful, skipped, gt, preds);
    }

    private static void putCount(ObjectNode o, String k, boolean counts, int v) {
        if (counts) o.put(k, v); else o.putNull(k);
    }

    private static void copy(ObjectNode to, ObjectNode from, String... keys) {
        for (String k : keys) to.set(k, from.has(k) ? from.get(k).deepCopy() : StandInState.JSON.nullNode());
    }

    // ----- tasks -----

    /** LS {@code TaskSimpleSerializer}-like shape: project task list, {@code /predict} bodies, test prediction. */
    ObjectNode taskSimple(Task t, boolean nested) {
        ObjectNode o = StandInState.object();
        o.put("id", t.id);
        o.set("data", t.data.deepCopy());
        o.set("meta", t.meta.deepCopy());
        o.put("created_at", ts(t.createdAt)).put("updated_at", ts(t.updatedAt));
        o.put("is_labeled", s.isLabeled(t)).put("overlap", s.overlap(t)).put("inner_id", t.innerId);
        o.put("total_annotations", s.totalAnnotations(t.id)).put("cancelled_annotations", s.cancelledAnnotations(t.id))
                .put("total_predictions", s.predictionsOf(t.id).size());
        o.put("comment_count", 0).put("unresolved_comment_count", 0);
        o.putNull("last_comment_updated_at");
        o.put("project", t.project);
        putNullable(o, "updated_by", t.updatedBy);
        putNullable(o, "file_upload", t.fileUpload);
        o.putArray("comment_authors");
        if (nested) {
            ArrayNode anns = o.putArray("annotations");
            for (Annotation a : s.annotationsOf(t.id)) anns.add(annotation(a, false));
            ArrayNode preds = o.putArray("predictions");
            for (Prediction p : s.predictionsOf(t.id)) preds.add(prediction(p));
        }
        return o;
    }

    /** The task inside webhook payloads (TASKS_CREATED, nested {@code task} of annotation events). */
    ObjectNode taskForWebhook(Task t) {
        ObjectNode o = taskSimple(t, false);
        ObjectNode out = StandInState.object();
        o.fields().forEachRemaining(e -> {
            out.set(e.getKey(), e.getValue());
            if (e.getKey().equals("total_predictions")) out.putNull("precomputed_agreement");
        });
        return out;
    }

    /**
     * The Data Manager task shape ({@code GET /api/tasks}). LS computes the heavy columns only when
     * asked: {@code fields=all}, or a view whose {@code hiddenColumns} leaves them visible.
     * Otherwise those string columns stay empty.
     */
    ObjectNode taskDm(Task t, boolean evaluate, boolean nested) {
        ObjectNode o = StandInState.object();
        o.put("id", t.id);
        if (nested) {
            ArrayNode preds = o.putArray("predictions");
            for (Prediction p : s.predictionsOf(t.id)) preds.add(prediction(p));
            ArrayNode anns = o.putArray("annotations");
            for (Annotation a : s.annotationsOf(t.id)) anns.add(annotation(a, false));
        }
        o.putArray("drafts");
        ArrayNode annotators = o.putArray("annotators");
        for (long u : annotators(t)) annotators.add(u);
        o.put("inner_id", t.innerId);
        o.put("cancelled_annotations", s.cancelledAnnotations(t.id)).put("total_annotations", s.totalAnnotations(t.id))
                .put("total_predictions", s.predictionsOf(t.id).size());
        if (evaluate) putNullableStr(o, "completed_at", completedAt(t));
        o.put("annotations_results", evaluate ? annotationsResults(t) : "");
        o.put("predictions_results", evaluate ? predictionsResults(t) : "");
        if (evaluate) putPredictionsScore(o, t);
        putNullable(o, "file_upload", t.fileUpload);
        o.putNull("storage_filename");
        o.put("annotations_ids", evaluate ? annotationIds(t) : "");
        o.put("predictions_model_versions", evaluate ? modelVersions(t) : "");
        if (evaluate) {
            Double lead = avgLeadTime(t);
            if (lead == null) o.putNull("avg_lead_time"); else o.put("avg_lead_time", lead);
            o.put("draft_exists", false);
        }
        ArrayNode ub = o.putArray("updated_by");
        if (t.updatedBy != null) ub.addObject().put("user_id", t.updatedBy);
        o.set("data", t.data.deepCopy());
        o.set("meta", t.meta.deepCopy());
        o.put("created_at", ts(t.createdAt)).put("updated_at", ts(t.updatedAt));
        o.put("is_labeled", s.isLabeled(t)).put("overlap", s.overlap(t));
        o.put("comment_count", 0).put("unresolved_comment_count", 0);
        o.putNull("last_comment_updated_at");
        o.put("project", t.project);
        o.putArray("comment_authors");
        return o;
    }

    /** {@code GET /api/tasks/{id}}: nested predictions and annotations (with expanded {@code completed_by}). */
    ObjectNode taskDetail(Task t) {
        ObjectNode o = StandInState.object();
        o.put("id", t.id);
        ArrayNode preds = o.putArray("predictions");
        for (Prediction p : s.predictionsOf(t.id)) preds.add(prediction(p));
        ArrayNode anns = o.putArray("annotations");
        for (Annotation a : s.annotationsOf(t.id)) anns.add(annotation(a, true));
        o.putArray("drafts");
        ArrayNode annotators = o.putArray("annotators");
        for (long u : annotators(t)) annotators.add(u);
        o.put("inner_id", t.innerId);
        o.put("cancelled_annotations", s.cancelledAnnotations(t.id)).put("total_annotations", s.totalAnnotations(t.id))
                .put("total_predictions", s.predictionsOf(t.id).size());
        putNullableStr(o, "completed_at", completedAt(t));
        o.put("annotations_results", "").put("predictions_results", "");
        o.putNull("predictions_score");
        putNullable(o, "file_upload", t.fileUpload);
        o.putNull("storage_filename");
        o.put("annotations_ids", annotationIds(t));
        o.put("predictions_model_versions", modelVersions(t));
        Double lead = avgLeadTime(t);
        if (lead == null) o.putNull("avg_lead_time"); else o.put("avg_lead_time", lead);
        o.put("draft_exists", false);
        ArrayNode ub = o.putArray("updated_by");
        if (t.updatedBy != null) ub.addObject().put("user_id", t.updatedBy);
        o.set("data", t.data.deepCopy());
        o.set("meta", t.meta.deepCopy());
        o.put("created_at", ts(t.createdAt)).put("updated_at", ts(t.updatedAt));
        o.put("is_labeled", s.isLabeled(t)).put("overlap", s.overlap(t));
        o.put("comment_count", 0).put("unresolved_comment_count", 0);
        o.putNull("last_comment_updated_at");
        o.put("project", t.project);
        o.putArray("comment_authors");
        return o;
    }

    /** The next-task answer: the labeling-stream task shape plus the lock id and the queue name. */
    ObjectNode taskNext(Task t, String uniqueLockId, String queue) {
        ObjectNode o = StandInState.object();
        o.put("id", t.id);
        ArrayNode preds = o.putArray("predictions");
        for (Prediction p : s.predictionsOf(t.id)) preds.add(prediction(p));
        ArrayNode anns = o.putArray("annotations");
        for (Annotation a : s.annotationsOf(t.id)) anns.add(annotation(a, true));
        o.putArray("drafts");
        ArrayNode ub = o.putArray("updated_by");
        if (t.updatedBy != null) ub.addObject().put("user_id", t.updatedBy);
        putNullableStr(o, "unique_lock_id", uniqueLockId);
        o.set("data", t.data.deepCopy());
        o.set("meta", t.meta.deepCopy());
        o.put("created_at", ts(t.createdAt)).put("updated_at", ts(t.updatedAt));
        o.put("is_labeled", s.isLabeled(t)).put("overlap", s.overlap(t)).put("inner_id", t.innerId);
        o.put("total_annotations", s.totalAnnotations(t.id)).put("cancelled_annotations", s.cancelledAnnotations(t.id))
                .put("total_predictions", s.predictionsOf(t.id).size());
        o.put("comment_count", 0).put("unresolved_comment_count", 0);
        o.putNull("last_comment_updated_at");
        o.put("project", t.project);
        putNullable(o, "file_upload", t.fileUpload);
        o.putArray("comment_authors");
        o.put("queue", queue);
        return o;
    }

    private List<Long> annotators(Task t) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Annotation a : s.annotationsOf(t.id)) ids.add(a.completedBy);
        return new ArrayList<>(ids);
    }

    private String completedAt(Task t) {
        Instant last = null;
        for (Annotation a : s.annotationsOf(t.id)) if (!a.wasCancelled && (last == null || a.createdAt.isAfter(last))) last = a.createdAt;
        return s.isLabeled(t) ? ts(last) : null;
    }

    private Double avgLeadTime(Task t) {
        double sum = 0;
        int n = 0;
        for (Annotation a : s.annotationsOf(t.id)) if (a.leadTime != null) { sum += a.leadTime; n++; }
        return n == 0 ? null : sum / n;
    }

    private String annotationIds(Task t) {
        StringJoiner j = new StringJoiner(",");
        for (Annotation a : s.annotationsOf(t.id)) j.add(Long.toString(a.id));
        return j.toString();
    }

    /** Distinct model versions of the task's predictions, comma-joined like LS's string aggregate. */
    private String modelVersions(Task t) {
        Set<String> v = new LinkedHashSet<>();
        for (Prediction p : s.predictionsOf(t.id)) v.add(p.modelVersion);
        return String.join(",", v);
    }

    /** LS renders result JSON with the quotes stripped, joined with ", ". */
    private String predictionsResults(Task t) {
        StringJoiner j = new StringJoiner(", ");
        for (Prediction p : s.predictionsOf(t.id)) j.add(pythonJson(p.result).replace("\"", ""));
        return j.toString();
    }

    private String annotationsResults(Task t) {
        StringJoiner j = new StringJoiner(", ");
        for (Annotation a : s.annotationsOf(t.id)) j.add(pythonJson(a.result).replace("\"", ""));
        return j.toString();
    }

    /**
     * {@code predictions_score}: the mean score of the task's predictions whose model version is the
     * project's {@code model_version} (captured: null when none matches).
     */
    void putPredictionsScore(ObjectNode o, Task t) {
        Double v = predictionsScore(t);
        if (v == null) o.putNull("predictions_score"); else o.put("predictions_score", v);
    }

    Double predictionsScore(Task t) {
        String mv = s.projects.get(t.project).modelVersion();
        double sum = 0;
        int n = 0;
        for (Prediction p : s.predictionsOf(t.id)) {
            if (p.modelVersion.equals(mv) && p.score != null) { sum += p.score; n++; }
        }
        return n == 0 ? null : sum / n;
    }

    /** JSON text with Python's {@code json.dumps} separators (", " and ": "). */
    static String pythonJson(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isObject()) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            n.fields().forEachRemaining(e -> j.add(StandInState.JSON.getNodeFactory().textNode(e.getKey()) + ": " + pythonJson(e.getValue())));
            return j.toString();
        }
        if (n.isArray()) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            n.forEach(x -> j.add(pythonJson(x)));
            return j.toString();
        }
        return n.toString();
    }

    // ----- predictions, annotations -----

    ObjectNode prediction(Prediction p) {
        ObjectNode o = StandInState.object();
        o.put("id", p.id);
        o.set("result", p.result.deepCopy());
        o.put("model_version", p.modelVersion);
        o.put("created_ago", createdAgo(p.createdAt));
        if (p.score == null) o.putNull("score"); else o.put("score", p.score);
        o.set("cluster", p.cluster == null ? StandInState.JSON.nullNode() : p.cluster);
        o.set("neighbors", p.neighbors == null ? StandInState.JSON.nullNode() : p.neighbors);
        o.put("mislabeling", p.mislabeling);
        o.put("created_at", ts(p.createdAt)).put("updated_at", ts(p.updatedAt));
        o.putNull("model");
        o.putNull("model_run");
        o.put("task", p.task).put("project", p.project);
        return o;
    }

    ObjectNode annotation(Annotation a, boolean expandUser) {
        User u = s.users.get(a.completedBy);
        ObjectNode o = StandInState.object();
        o.put("id", a.id);
        o.set("result", a.result.deepCopy());
        o.put("created_username", " " + u.email + ", " + u.id);
        o.put("created_ago", createdAgo(a.createdAt));
        if (expandUser) o.set("completed_by", userBrief(u, true)); else o.put("completed_by", u.id);
        o.put("was_cancelled", a.wasCancelled).put("ground_truth", a.groundTruth);
        o.put("created_at", ts(a.createdAt)).put("updated_at", ts(a.updatedAt));
        o.putNull("draft_created_at");
        if (a.leadTime == null) o.putNull("lead_time"); else o.put("lead_time", a.leadTime);
        o.putNull("import_id");
        o.putNull("last_action");
        o.put("bulk_created", false);
        o.put("task", a.task).put("project", a.project).put("updated_by", a.updatedBy);
        o.putNull("parent_prediction");
        o.putNull("parent_annotation");
        o.putNull("last_created_by");
        return o;
    }

    ObjectNode annotationForWebhook(Annotation a) {
        ObjectNode o = StandInState.object();
        o.put("id", a.id);
        o.set("result", a.result.deepCopy());
        o.put("was_cancelled", a.wasCancelled).put("ground_truth", a.groundTruth);
        o.put("created_at", ts(a.createdAt)).put("updated_at", ts(a.updatedAt));
        o.putNull("draft_created_at");
        if (a.leadTime == null) o.putNull("lead_time"); else o.put("lead_time", a.leadTime);
        o.putObject("prediction");
        o.put("result_count", a.result.size());
        o.put("unique_id", a.uniqueId);
        o.putNull("import_id");
        o.putNull("last_action");
        o.put("bulk_created", false);
        o.put("task", a.task).put("project", a.project).put("completed_by", a.completedBy).put("updated_by", a.updatedBy);
        o.putNull("parent_prediction");
        o.putNull("parent_annotation");
        o.putNull("last_created_by");
        return o;
    }

    // ----- views, webhooks, ML backends -----

    ObjectNode view(View v) {
        ObjectNode o = StandInState.object();
        o.put("id", v.id);
        o.set("data", v.data.deepCopy());
        o.put("order", v.order).put("user", v.user).put("project", v.project);
        return o;
    }

    ObjectNode webhook(Webhook w) {
        ObjectNode o = StandInState.object();
        o.put("id", w.id).put("organization", 1);
        putNullable(o, "project", w.project);
        o.put("url", w.url).put("send_payload", w.sendPayload).put("send_for_all_actions", w.sendForAllActions);
        o.set("headers", w.headers.deepCopy());
        o.put("is_active", w.isActive);
        ArrayNode actions = o.putArray("actions");
        w.actions.forEach(actions::add);
        o.put("created_at", ts(w.createdAt)).put("updated_at", ts(w.updatedAt));
        return o;
    }

    ObjectNode mlBackend(MlBackend m) {
        ObjectNode o = StandInState.object();
        o.put("id", m.id).put("state", m.state).put("readable_state", readableState(m.state))
                .put("is_interactive", m.isInteractive).put("url", m.url);
        putNullableStr(o, "error_message", m.errorMessage);
        o.put("title", m.title).put("auth_method", m.authMethod).put("basic_auth_user", m.basicAuthUser)
                .put("basic_auth_pass_is_set", m.basicAuthPass != null && !m.basicAuthPass.isEmpty())
                .put("description", m.description);
        o.set("extra_params", m.extraParams == null ? StandInState.JSON.nullNode() : m.extraParams.deepCopy());
        o.put("model_version", m.modelVersion).put("timeout", m.timeout);
        o.put("created_at", ts(m.createdAt)).put("updated_at", ts(m.updatedAt));
        o.put("auto_update", m.autoUpdate).put("project", m.project);
        return o;
    }

    private static String readableState(String st) {
        return switch (st) {
            case "CO" -> "Connected";
            case "ER" -> "Error";
            case "TR" -> "Training";
            case "PR" -> "Predicting";
            default -> "Disconnected";
        };
    }

    static void putNullable(ObjectNode o, String k, Long v) {
        if (v == null) o.putNull(k); else o.put(k, v);
    }

    static void putNullableStr(ObjectNode o, String k, String v) {
        if (v == null) o.putNull(k); else o.put(k, v);
    }

    // ----- label config -----

    /** What LS derives from a label config: control tags, their inputs and labels, the data types. */
    static final class LabelConfig {
        record Control(String name, String type, List<String> toNames, List<String> labels) {}
        record Input(String name, String type, String value) {}

        final List<Control> controls = new ArrayList<>();
        final List<Input> inputs = new ArrayList<>();

        static LabelConfig parse(String xml) {
            LabelConfig lc = new LabelConfig();
            try {
                var f = DocumentBuilderFactory.newInstance();
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
                lc.walk(root);
            } catch (Exception e) {
                // An unparsable config has no controls, as LS would refuse it at validation.
            }
            return lc;
        }

        private void walk(Element e) {
            String tag = e.getTagName();
            if (OBJECT_TAGS.contains(tag) && e.hasAttribute("name")) {
                String value = e.getAttribute("value");
                inputs.add(new Input(e.getAttribute("name"), tag, value.startsWith("$") ? value.substring(1) : value));
            }
            if (CONTROL_TAGS.contains(tag) && e.hasAttribute("name")) {
                List<String> labels = new ArrayList<>();
                NodeList kids = e.getElementsByTagName("*");
                for (int i = 0; i < kids.getLength(); i++) {
                    Element k = (Element) kids.item(i);
                    if ((k.getTagName().equals("Choice") || k.getTagName().equals("Label")) && k.hasAttribute("value")) {
                        labels.add(k.getAttribute("value"));
                    }
                }
                List<String> to = new ArrayList<>();
                for (String n : e.getAttribute("toName").split(",")) if (!n.isBlank()) to.add(n.trim());
                controls.add(new Control(e.getAttribute("name"), tag, to, labels));
            }
            NodeList kids = e.getChildNodes();
            for (int i = 0; i < kids.getLength(); i++) if (kids.item(i).getNodeType() == Node.ELEMENT_NODE) walk((Element) kids.item(i));
        }

        ObjectNode parsed() {
            ObjectNode o = StandInState.object();
            for (Control c : controls) {
                ObjectNode n = o.putObject(c.name);
                n.put("type", c.type);
                ArrayNode to = n.putArray("to_name");
                c.toNames.forEach(to::add);
                ArrayNode ins = n.putArray("inputs");
                for (Input in : inputs) {
                    if (c.toNames.contains(in.name)) {
                        ObjectNode x = ins.addObject().put("type", in.type);
                        x.putNull("valueType");
                        x.put("value", in.value);
                    }
                }
                ArrayNode labels = n.putArray("labels");
                c.labels.forEach(labels::add);
                ObjectNode attrs = n.putObject("labels_attrs");
                for (String l : c.labels) attrs.putObject(l).put("value", l);
            }
            return o;
        }

        ObjectNode controlWeights() {
            ObjectNode o = StandInState.object();
            for (Control c : controls) {
                ObjectNode n = o.putObject(c.name);
                n.put("overall", 1.0).put("type", c.type);
                ObjectNode labels = n.putObject("labels");
                for (String l : c.labels) labels.put(l, 1.0);
            }
            return o;
        }

        ObjectNode dataTypes() {
            ObjectNode o = StandInState.object();
            for (Input in : inputs) o.put(in.value, in.type);
            return o;
        }

        boolean suitableForBulk() {
            for (Control c : controls) if (!c.type.equals("Choices") && !c.type.equals("Taxonomy")) return false;
            return !controls.isEmpty();
        }
    }

    static final List<String> PERMISSIONS = List.of("organizations.create", "organizations.view", "organizations.change",
            "organizations.delete", "organizations.invite", "projects.create", "projects.view", "projects.change",
            "projects.delete", "projects.reset_cache", "tasks.create", "tasks.view", "tasks.change", "tasks.delete",
            "views.reset", "annotations.create", "annotations.view", "annotations.change", "annotations.delete",
            "actions.perform", "predictions.any", "avatar.any", "labels.create", "labels.view", "labels.change",
            "labels.delete", "models.create", "models.view", "models.change", "models.delete",
            "model_provider_connection.create", "model_provider_connection.view", "model_provider_connection.change",
            "model_provider_connection.delete", "webhooks.view", "webhooks.change", "users.token.any", "storages.view",
            "storages.change", "storages.sync", "views.view", "views.create", "views.change", "views.delete");
}
