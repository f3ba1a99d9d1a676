package dev.exemplar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The annotations people made, as webhooks told of them, and the propagated predictions:
 * what Exemplar wants on each constituent against what Label Studio holds. Writing to Label
 * Studio is made exactly-once by recording the intent first ({@link #beginWrite}) and the outcome
 * after ({@link #written}): a row left uncertain by a crash is checked against Label Studio.
 */
public final class LabelStore {
    /** A live annotation (neither deleted nor cancelled) and its result items. */
    public record Annotation(long id, long task, JsonNode result) { }

    /**
     * A propagated label as a prediction carries it: its result items and score. Stored as the JSON
     * {@code {"result": [...], "score": s}}, whose text is compared to tell what changed.
     */
    public record Suggestion(JsonNode result, double score) {
        String json() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.set("result", result);
            o.put("score", score);
            return o.toString();
        }

        static Suggestion parse(String json) {
            if (json == null) return null;
            JsonNode o = tree(json);
            return new Suggestion(o.get("result"), o.path("score").asDouble());
        }
    }

    /**
     * A label propagated to a constituent: what Exemplar wants there ({@code wanted}, null for nothing)
     * with its labels, score and the delegates it draws on by weight ({@code sources}), against what
     * Label Studio holds ({@code written}, null when nothing of Exemplar's); {@code predictionId}: null
     * when none or not known.
     */
    public record SpreadLabel(long task, Suggestion wanted, List<String> labels, Double score, Map<Long, Double> sources,
                              Suggestion written, Long predictionId, ReviewState state, boolean dirty, boolean uncertain) { }

    private static final TypeReference<List<String>> LABELS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<Long, Double>> SOURCES = new TypeReference<>() { };

    private static final String COLUMNS = "task_id, wanted_json, labels_json, score, sources_json, written_json, prediction_id,"
            + " state, dirty, uncertain";

    private final Store store;

    LabelStore(Store store) {
        this.store = store;
    }

    /**
     * Records an annotation unless its deletion or a copy at least as new is already known.
     * True when this changed what is known.
     */
    public boolean upsert(long project, long annotation, long task, JsonNode result, boolean cancelled, String version) {
        return store.transaction(c -> {
            List<Known> known = Sql.query(c, "SELECT deleted, version FROM annotations WHERE project_id = ? AND annotation_id = ?",
                    rs -> new Known(rs.getInt(1) == 1, rs.getString(2)), project, annotation);
            if (!known.isEmpty() && (known.get(0).deleted() || !newer(version, known.get(0).version()))) return false;
            Sql.update(c, "INSERT INTO annotations (project_id, annotation_id, task_id, result_json, cancelled, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, annotation_id) DO UPDATE SET task_id = excluded.task_id,"
                    + " result_json = excluded.result_json, cancelled = excluded.cancelled, version = excluded.version",
                    project, annotation, task, result.toString(), cancelled ? 1 : 0, version);
            return true;
        });
    }

    /** What is known of an annotation: whether it was deleted, and the version last recorded. */
    private record Known(boolean deleted, String version) { }

    /** Whether Label Studio's updated_at {@code a} is later than {@code b}: as instants, else as text. */
    static boolean newer(String a, String b) {
        try {
            return OffsetDateTime.parse(a).toInstant().isAfter(OffsetDateTime.parse(b).toInstant());
        } catch (DateTimeParseException e) {
            return a.compareTo(b) > 0;
        }
    }

    /** Marks an annotation deleted (a tombstone if it was never seen); the task it was on, when known. */
    public Optional<Long> delete(long project, long annotation) {
        return store.transaction(c -> {
            List<Long> task = Sql.query(c, "SELECT task_id FROM annotations WHERE project_id = ? AND annotation_id = ? AND deleted = 0",
                    rs -> Sql.nullableLong(rs, 1), project, annotation);
            Sql.update(c, "INSERT INTO annotations (project_id, annotation_id, deleted) VALUES (?, ?, 1)"
                    + " ON CONFLICT (project_id, annotation_id) DO UPDATE SET deleted = 1", project, annotation);
            return task.isEmpty() ? Optional.<Long>empty() : Optional.ofNullable(task.get(0));
        });
    }

    /** The task's live annotations, oldest first. */
    public List<Annotation> annotations(long project, long task) {
        return store.transaction(c -> Sql.query(c, "SELECT annotation_id, task_id, result_json FROM annotations"
                + " WHERE project_id = ? AND task_id = ? AND deleted = 0 AND cancelled = 0 ORDER BY annotation_id",
                rs -> new Annotation(rs.getLong(1), rs.getLong(2), tree(rs.getString(3))), project, task));
    }

    /** Every live annotation of the project, by task and then id. */
    public List<Annotation> annotations(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT annotation_id, task_id, result_json FROM annotations"
                + " WHERE project_id = ? AND deleted = 0 AND cancelled = 0 AND task_id IS NOT NULL ORDER BY task_id, annotation_id",
                rs -> new Annotation(rs.getLong(1), rs.getLong(2), tree(rs.getString(3))), project));
    }

    /** Tasks with at least one live annotation. */
    public List<Long> labelledTasks(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT DISTINCT task_id FROM annotations"
                + " WHERE project_id = ? AND deleted = 0 AND cancelled = 0 AND task_id IS NOT NULL ORDER BY task_id",
                rs -> rs.getLong(1), project));
    }

    public Optional<SpreadLabel> spreadLabel(long project, long task) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM propagations WHERE project_id = ? AND task_id = ?",
                LabelStore::spreadLabel, project, task)).stream().findFirst();
    }

    /** The propagation rows of these tasks, by task (tasks without one are left out). */
    public Map<Long, SpreadLabel> spreadLabels(long project, Collection<Long> tasks) {
        return byTask(store.transaction(c -> spreadLabels(c, project, tasks)));
    }

    /**
     * {@link #spreadLabels(long, Collection)} as last committed, read off the lock of the store's
     * transactions ({@link Store#read}): for request threads, which must not queue behind the background.
     */
    public Map<Long, SpreadLabel> committedSpreadLabels(long project, Collection<Long> tasks) {
        return byTask(store.read(c -> spreadLabels(c, project, tasks)));
    }

    private static List<SpreadLabel> spreadLabels(Connection c, long project, Collection<Long> tasks) throws SQLException {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM propagations WHERE project_id = ?"
                + " AND task_id IN (SELECT value FROM json_each(?))", LabelStore::spreadLabel, project, Sql.ids(tasks));
    }

    private static Map<Long, SpreadLabel> byTask(List<SpreadLabel> rows) {
        Map<Long, SpreadLabel> out = new HashMap<>();
        for (SpreadLabel p : rows) out.put(p.task(), p);
        return out;
    }

    /** Every propagation row of the project, by task id. */
    public List<SpreadLabel> spreadLabels(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM propagations WHERE project_id = ? ORDER BY task_id",
                LabelStore::spreadLabel, project));
    }

    /** Tasks with a propagation row, by id: what is read when only which tasks have one matters. */
    public List<Long> spreadTasks(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT task_id FROM propagations WHERE project_id = ? ORDER BY task_id",
                rs -> rs.getLong(1), project));
    }

    /** A propagated label's JSON columns as stored, to compare with what is wanted now. */
    private record StoredText(String wanted, String sources, String written) { }

    /**
     * Sets what Exemplar wants on the constituent ({@code wanted} null for nothing); marks it to write when that
     * differs from what is there. What is stored is compared as JSON text, as it was written.
     */
    public void want(long project, long task, Suggestion wanted, List<String> labels, Double score, Map<Long, Double> sources) {
        String wantedJson = wanted == null ? null : wanted.json(), labelsJson = text(labels), sourcesJson = text(sources);
        store.transaction(c -> {
            Optional<StoredText> now = Sql.query(c, "SELECT wanted_json, sources_json, written_json FROM propagations"
                    + " WHERE project_id = ? AND task_id = ?", rs -> new StoredText(rs.getString(1), rs.getString(2), rs.getString(3)),
                    project, task).stream().findFirst();
            if (now.isEmpty() && wantedJson == null) return null;
            if (now.isPresent() && Objects.equals(now.get().wanted(), wantedJson) && Objects.equals(now.get().sources(), sourcesJson)) {
                return null;
            }
            boolean dirty = !Objects.equals(wantedJson, now.map(StoredText::written).orElse(null));
            // the source of the largest weight, the first of equals: the delegate the review page shows it under
            Sql.update(c, "INSERT INTO propagations (project_id, task_id, wanted_json, labels_json, score, sources_json, dirty, updated_at,"
                    + " primary_delegate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT CAST(key AS INTEGER) FROM json_each(?)"
                    + " ORDER BY value DESC, id LIMIT 1), -1)) ON CONFLICT (project_id, task_id) DO UPDATE SET wanted_json = excluded.wanted_json,"
                    + " labels_json = excluded.labels_json, score = excluded.score, sources_json = excluded.sources_json,"
                    + " dirty = CASE WHEN excluded.dirty = 1 THEN 1 ELSE uncertain END, updated_at = excluded.updated_at,"
                    + " primary_delegate = excluded.primary_delegate",
                    project, task, wantedJson, labelsJson, score, sourcesJson, dirty ? 1 : 0, store.now(), sourcesJson);
            return null;
        });
    }

    /** Rows whose prediction in Label Studio must be created, changed, removed or checked; oldest change first. */
    public List<SpreadLabel> toWrite(long project, int limit) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM propagations WHERE project_id = ? AND dirty = 1"
                + " ORDER BY updated_at, task_id LIMIT ?", LabelStore::spreadLabel, project, limit));
    }

    /** Projects with predictions to write. */
    public List<Long> projectsToWrite() {
        return store.transaction(c -> Sql.query(c, "SELECT DISTINCT project_id FROM propagations WHERE dirty = 1", rs -> rs.getLong(1)));
    }

    /** Before a write to Label Studio: until {@link #written}, these rows are uncertain and stay to write. */
    public void beginWrite(long project, Collection<Long> tasks) {
        store.transaction(c -> {
            for (long t : tasks) Sql.update(c, "UPDATE propagations SET uncertain = 1, dirty = 1 WHERE project_id = ? AND task_id = ?", project, t);
            return null;
        });
    }

    /** After a write: what Label Studio now holds (null: nothing of ours) and the prediction's id when known. */
    public void written(long project, long task, Suggestion written, Long predictionId) {
        String writtenJson = written == null ? null : written.json();
        store.transaction(c -> Sql.update(c, "UPDATE propagations SET written_json = ?, prediction_id = ?, uncertain = 0,"
                + " dirty = CASE WHEN wanted_json IS ? THEN 0 ELSE 1 END, updated_at = ? WHERE project_id = ? AND task_id = ?",
                writtenJson, predictionId, writtenJson, store.now(), project, task));
    }

    /** Accepted and rejected constituents are no longer propagated to. */
    public void state(long project, long task, ReviewState state) {
        store.transaction(c -> Sql.update(c, "UPDATE propagations SET state = ?, updated_at = ? WHERE project_id = ? AND task_id = ?",
                state.text(), store.now(), project, task));
    }

    /** One constituent on the review page: its label, confidence and state, under the delegate it draws on most. */
    public record Reviewed(long task, long delegate, List<String> labels, double confidence, ReviewState state) { }

    /** What the review page counts: propagated labels still proposed, accepted and rejected. */
    public record ReviewCounts(int proposed, int accepted, int rejected) { }

    /**
     * A page of the review: the delegates whose constituents match ({@code label} null for any;
     * confidence within [min, max]), the least certain first (a delegate is as certain as its least
     * certain proposed constituent), {@code offset} and {@code limit} counting delegates; each
     * with its matching constituents, least certain first. Read by SQL, a page at a time.
     */
    public Map<Long, List<Reviewed>> review(long project, String label, double min, double max, int offset, int limit) {
        return store.transaction(c -> {
            List<Long> delegates = Sql.query(c, "SELECT primary_delegate FROM propagations p WHERE " + SHOWN
                    + " GROUP BY primary_delegate ORDER BY COALESCE(MIN(CASE WHEN state = 'proposed' THEN COALESCE(score, 0) END), 2),"
                    + " primary_delegate LIMIT ? OFFSET ?", rs -> rs.getLong(1), project, min, max, label, label, limit, offset);
            Map<Long, List<Reviewed>> out = new LinkedHashMap<>();
            delegates.forEach(d -> out.put(d, new ArrayList<>()));
            Sql.query(c, "SELECT task_id, primary_delegate, labels_json, COALESCE(score, 0), state FROM propagations p WHERE " + SHOWN
                    + " AND primary_delegate IN (SELECT value FROM json_each(?)) ORDER BY COALESCE(score, 0), task_id",
                    rs -> out.get(rs.getLong(2)).add(new Reviewed(rs.getLong(1), rs.getLong(2), labels(rs.getString(3)), rs.getDouble(4), Words.parse(ReviewState.class, rs.getString(5)))),
                    project, min, max, label, label, Sql.ids(delegates));
            return out;
        });
    }

    /** How many delegates the review of {@link #review} would page through. */
    public int reviewDelegates(long project, String label, double min, double max) {
        return store.transaction(c -> Sql.query(c, "SELECT COUNT(DISTINCT primary_delegate) FROM propagations p WHERE " + SHOWN,
                rs -> rs.getInt(1), project, min, max, label, label)).get(0);
    }

    public ReviewCounts reviewCounts(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT COALESCE(SUM(state = 'proposed' AND wanted_json IS NOT NULL), 0),"
                + " COALESCE(SUM(state = 'accepted'), 0), COALESCE(SUM(state = 'rejected'), 0) FROM propagations WHERE project_id = ?",
                rs -> new ReviewCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3)), project)).get(0);
    }

    /** Every label that occurs among what the review shows, in order. */
    public List<String> reviewLabels(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT DISTINCT j.value FROM propagations p, json_each(p.labels_json) j"
                + " WHERE p.project_id = ? AND (p.wanted_json IS NOT NULL OR p.state != 'proposed') ORDER BY j.value",
                rs -> rs.getString(1), project));
    }

    /** Tasks labelled by a person that are delegates now. */
    public int labelledDelegates(long project) {
        return store.transaction(c -> Sql.query(c, "SELECT COUNT(DISTINCT a.task_id) FROM annotations a JOIN tasks t"
                + " ON t.project_id = a.project_id AND t.task_id = a.task_id WHERE a.project_id = ? AND a.deleted = 0"
                + " AND a.cancelled = 0 AND t.role = 'delegate'", rs -> rs.getInt(1), project)).get(0);
    }

    /** Rows the review shows: with a label wanted, or accepted or rejected; of the query's label and confidences. */
    private static final String SHOWN = "p.project_id = ? AND (p.wanted_json IS NOT NULL OR p.state != 'proposed')"
            + " AND COALESCE(p.score, 0) BETWEEN ? AND ?"
            + " AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(p.labels_json) j WHERE j.value = ?))";

    /** Forgets the project's annotations and propagated predictions. */
    public void forget(long project) {
        store.transaction(c -> {
            Sql.update(c, "DELETE FROM propagations WHERE project_id = ?", project);
            Sql.update(c, "DELETE FROM annotations WHERE project_id = ?", project);
            return null;
        });
    }

    private static SpreadLabel spreadLabel(ResultSet rs) throws SQLException {
        double score = rs.getDouble(4);
        Double s = rs.wasNull() ? null : score;
        return new SpreadLabel(rs.getLong(1), Suggestion.parse(rs.getString(2)), labels(rs.getString(3)), s,
                read(rs.getString(5), SOURCES), Suggestion.parse(rs.getString(6)),
                Sql.nullableLong(rs, 7), Words.parse(ReviewState.class, rs.getString(8)), rs.getInt(9) == 1, rs.getInt(10) == 1);
    }

    /** The stored JSON, which Exemplar wrote after parsing or building it: unreadable only if the file was damaged. */
    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> labels(String json) {
        return json == null ? List.of() : read(json, LABELS);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
