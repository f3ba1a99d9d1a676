package dev.exemplar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's tasks: which image each names, the hash of its bytes (the key into the feature
 * cache), its place in the order, and the data fields last written back to Label Studio.
 */
public final class TaskStore {
    public record Task(long projectId, long taskId, String imageRef, String contentHash, Integer rank, String role,
                       String error) { }

    private static final String COLUMNS = "project_id, task_id, image_ref, content_hash, rank, role, error";
    private static final int CHUNK = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Numbers compare by value (1 equals 1.0 and a long 1), so a re-read value never looks changed. */
    private static final Comparator<JsonNode> SAME = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    private final Store store;

    TaskStore(Store store) {
        this.store = store;
    }

    /**
     * Adds tasks or updates their image reference. A task whose reference changed loses its content
     * hash and error: its image must be fetched again.
     */
    public void upsert(long projectId, Map<Long, String> imageRefs) {
        long now = store.now();
        store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO tasks (project_id, task_id, image_ref, updated_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (project_id, task_id) DO UPDATE SET image_ref = excluded.image_ref,"
                            + " content_hash = NULL, error = NULL, updated_at = excluded.updated_at"
                            + " WHERE image_ref IS NOT excluded.image_ref")) {
                for (var e : imageRefs.entrySet()) {
                    Sql.bind(q, projectId, e.getKey(), e.getValue(), now);
                    q.addBatch();
                }
                q.executeBatch();
            }
            return null;
        });
    }

    /** Removes tasks deleted in Label Studio, with their links and duplicate memberships. */
    public int delete(long projectId, Collection<Long> taskIds) {
        return store.transaction(c -> {
            int n = 0;
            try (PreparedStatement q = c.prepareStatement("DELETE FROM tasks WHERE project_id = ? AND task_id = ?")) {
                for (long id : taskIds) {
                    Sql.bind(q, projectId, id);
                    n += q.executeUpdate();
                }
            }
            return n;
        });
    }

    /** Records the hash of the task's image bytes, clearing an earlier error. */
    public void content(long projectId, long taskId, String contentHash) {
        set(projectId, taskId, "content_hash = ?, error = NULL", contentHash);
    }

    /** Records why the task's image could not be read. */
    public void error(long projectId, long taskId, String error) {
        set(projectId, taskId, "error = ?", error);
    }

    public Optional<Task> get(long projectId, long taskId) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM tasks WHERE project_id = ? AND task_id = ?",
                TaskStore::read, projectId, taskId)).stream().findFirst();
    }

    /** All tasks, in order: ranked ones by rank, then the unranked by id. */
    public List<Task> list(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM tasks WHERE project_id = ?"
                + " ORDER BY rank IS NULL, rank, task_id", TaskStore::read, projectId));
    }

    public Set<Long> ids(long projectId) {
        return new HashSet<>(store.transaction(c -> Sql.query(c, "SELECT task_id FROM tasks WHERE project_id = ?",
                rs -> rs.getLong(1), projectId)));
    }

    /** Tasks whose image is still to be fetched: no hash yet and no error. */
    public List<Task> withoutContent(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM tasks WHERE project_id = ?"
                + " AND content_hash IS NULL AND error IS NULL ORDER BY task_id", TaskStore::read, projectId));
    }

    /**
     * Of the data fields the backend wants each task to carry, those that differ from what was last
     * written to Label Studio, by task; tasks with nothing changed are left out, so only they are
     * PATCHed. A field never written counts as null: wanting null there is no change.
     */
    public Map<Long, ObjectNode> changedFields(long projectId, Map<Long, ObjectNode> wanted) {
        Map<Long, ObjectNode> written = written(projectId, wanted.keySet());
        Map<Long, ObjectNode> out = new LinkedHashMap<>();
        for (var e : wanted.entrySet()) {
            ObjectNode before = written.getOrDefault(e.getKey(), JSON.createObjectNode());
            ObjectNode changed = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = e.getValue().fields(); it.hasNext(); ) {
                var field = it.next();
                JsonNode old = before.has(field.getKey()) ? before.get(field.getKey()) : NullNode.instance;
                if (!field.getValue().equals(SAME, old)) changed.set(field.getKey(), field.getValue());
            }
            if (!changed.isEmpty()) out.put(e.getKey(), changed);
        }
        return out;
    }

    /** Records fields as written to Label Studio (merged into what was written before). */
    public void written(long projectId, Map<Long, ObjectNode> fields) {
        long now = store.now();
        store.transaction(c -> {
            Map<Long, ObjectNode> before = written(projectId, fields.keySet());
            try (PreparedStatement q = c.prepareStatement(
                    "UPDATE tasks SET written_json = ?, updated_at = ? WHERE project_id = ? AND task_id = ?")) {
                for (var e : fields.entrySet()) {
                    ObjectNode merged = before.getOrDefault(e.getKey(), JSON.createObjectNode());
                    merged.setAll(e.getValue());
                    Sql.bind(q, JSON.writeValueAsString(merged), now, projectId, e.getKey());
                    q.addBatch();
                }
                q.executeBatch();
            } catch (JsonProcessingException e) {
                throw new StoreException("cannot write task fields as JSON: " + e.getMessage(), e);
            }
            return null;
        });
    }

    private Map<Long, ObjectNode> written(long projectId, Collection<Long> taskIds) {
        List<Long> ids = new ArrayList<>(taskIds);
        return store.transaction(c -> {
            Map<Long, ObjectNode> out = new HashMap<>();
            for (int from = 0; from < ids.size(); from += CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                Object[] args = new Object[chunk.size() + 1];
                args[0] = projectId;
                for (int i = 0; i < chunk.size(); i++) args[i + 1] = chunk.get(i);
                for (Object[] row : Sql.query(c, "SELECT task_id, written_json FROM tasks WHERE project_id = ? AND task_id IN ("
                        + "?,".repeat(chunk.size() - 1) + "?)", rs -> new Object[] {rs.getLong(1), rs.getString(2)}, args)) {
                    out.put((Long) row[0], parse((String) row[1]));
                }
            }
            return out;
        });
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new StoreException("task fields are not a JSON object: " + json, e);
        }
    }

    private void set(long projectId, long taskId, String assignments, Object value) {
        long now = store.now();
        int n = store.transaction(c -> Sql.update(c, "UPDATE tasks SET " + assignments + ", updated_at = ?"
                + " WHERE project_id = ? AND task_id = ?", value, now, projectId, taskId));
        if (n == 0) throw new StoreException("no task " + taskId + " in project " + projectId);
    }

    static Task read(ResultSet rs) throws SQLException {
        return new Task(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), Sql.nullableInt(rs, 5),
                rs.getString(6), rs.getString(7));
    }
}
