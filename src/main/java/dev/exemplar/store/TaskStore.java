package dev.exemplar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's tasks: which image each names, the hash of its bytes (the key into the feature
 * cache) and its place in the order.
 */
public final class TaskStore {
    public record Task(long projectId, long taskId, String imageRef, String contentHash, Integer rank, Role role,
                       String error) { }

    private static final String COLUMNS = "project_id, task_id, image_ref, content_hash, rank, role, error";

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

    /**
     * Records many tasks' content hashes and errors in one transaction: a commit a batch instead of one a task.
     * A task not in the project is skipped (it was deleted meanwhile).
     */
    public void outcomes(long projectId, Map<Long, String> contents, Map<Long, String> errors) {
        if (contents.isEmpty() && errors.isEmpty()) return;
        long now = store.now();
        store.transaction(c -> {
            batch(c, "content_hash = ?, error = NULL", projectId, contents, now);
            batch(c, "error = ?", projectId, errors, now);
            return null;
        });
    }

    private static void batch(Connection c, String assignments, long projectId, Map<Long, String> values, long now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE tasks SET " + assignments + ", updated_at = ? WHERE project_id = ? AND task_id = ?")) {
            for (var e : values.entrySet()) {
                q.setString(1, e.getValue());
                q.setLong(2, now);
                q.setLong(3, projectId);
                q.setLong(4, e.getKey());
                q.addBatch();
            }
            q.executeBatch();
        }
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

    /** The role of each of these tasks that has one, by task. */
    public Map<Long, Role> roles(long projectId, Collection<Long> taskIds) {
        Map<Long, Role> out = new HashMap<>();
        store.transaction(c -> Sql.query(c, "SELECT task_id, role FROM tasks WHERE project_id = ? AND role IS NOT NULL"
                + " AND task_id IN (SELECT value FROM json_each(?))", rs -> out.put(rs.getLong(1), Words.parse(Role.class, rs.getString(2))),
                projectId, Sql.ids(taskIds)));
        return out;
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

    /** Tasks whose image is described but has no learned features of this format stored. */
    public List<Task> withoutLearned(long projectId, int formatVersion) {
        return store.transaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM tasks t WHERE project_id = ?"
                + " AND content_hash IS NOT NULL AND error IS NULL AND NOT EXISTS (SELECT 1 FROM learned_features l"
                + " WHERE l.content_hash = t.content_hash AND l.format_version = ?) ORDER BY task_id", TaskStore::read, projectId, formatVersion));
    }

    private void set(long projectId, long taskId, String assignments, Object value) {
        long now = store.now();
        int n = store.transaction(c -> Sql.update(c, "UPDATE tasks SET " + assignments + ", updated_at = ?"
                + " WHERE project_id = ? AND task_id = ?", value, now, projectId, taskId));
        if (n == 0) throw new StoreException("no task " + taskId + " in project " + projectId);
    }

    static Task read(ResultSet rs) throws SQLException {
        return new Task(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), Sql.nullableInt(rs, 5),
                Words.parse(Role.class, rs.getString(6)), rs.getString(7));
    }
}
