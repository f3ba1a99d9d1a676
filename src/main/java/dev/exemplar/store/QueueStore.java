package dev.exemplar.store;

import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a project's queue in Label Studio holds: each task's rank key as last read or written, and
 * the tasks an adaptive queue puts first. A change to that front is a new version; the writer
 * records the version it brought Label Studio in line with, so a change made meanwhile stays due.
 */
public final class QueueStore {
    private final Store store;

    QueueStore(Store store) {
        this.store = store;
    }

    /** The rank key each task carries in Label Studio, by task, as far as this backend knows. */
    public Map<Long, String> keys(long projectId) {
        Map<Long, String> out = new HashMap<>();
        store.transaction(c -> Sql.query(c, "SELECT task_id, rank_key FROM rank_keys WHERE project_id = ?",
                rs -> out.put(rs.getLong(1), rs.getString(2)), projectId));
        return out;
    }

    /** Records the rank keys these tasks now carry in Label Studio. */
    public void keys(long projectId, Map<Long, String> keys) {
        if (keys.isEmpty()) return;
        store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("INSERT INTO rank_keys (project_id, task_id, rank_key)"
                    + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM tasks WHERE project_id = ? AND task_id = ?)"
                    + " ON CONFLICT (project_id, task_id) DO UPDATE SET rank_key = excluded.rank_key")) {
                for (Map.Entry<Long, String> e : keys.entrySet()) {
                    Sql.bind(q, projectId, e.getKey(), e.getValue(), projectId, e.getKey());
                    q.addBatch();
                }
                q.executeBatch();
            }
            return null;
        });
    }

    /** The tasks the queue puts first, in order (none when it follows the summary order), and the front's version. */
    public record Front(List<Long> tasks, long version) { }

    public Front front(long projectId) {
        return store.transaction(c -> new Front(
                Sql.query(c, "SELECT task_id FROM queue_front WHERE project_id = ? ORDER BY position", rs -> rs.getLong(1), projectId),
                Sql.query(c, "SELECT queue_version FROM projects WHERE project_id = ?", rs -> rs.getLong(1), projectId)
                        .stream().findFirst().orElse(0L)));
    }

    /** Puts these tasks first, in this order, in place of those before; Label Studio is then due a write. */
    public void front(long projectId, List<Long> tasks) {
        store.transaction(c -> {
            Sql.update(c, "DELETE FROM queue_front WHERE project_id = ?", projectId);
            try (PreparedStatement q = c.prepareStatement("INSERT INTO queue_front (project_id, task_id, position)"
                    + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM tasks WHERE project_id = ? AND task_id = ?)")) {
                for (int i = 0; i < tasks.size(); i++) {
                    Sql.bind(q, projectId, tasks.get(i), i, projectId, tasks.get(i));
                    q.addBatch();
                }
                q.executeBatch();
            }
            Sql.update(c, "UPDATE projects SET queue_version = queue_version + 1 WHERE project_id = ?", projectId);
            return null;
        });
    }

    /** The version of the front Label Studio is due, when it has not been written yet. */
    public record Due(long projectId, long version) { }

    /** Projects whose queue front changed since it was last written to Label Studio. */
    public List<Due> due() {
        return store.transaction(c -> Sql.query(c, "SELECT project_id, queue_version FROM projects WHERE queue_version > queue_written",
                rs -> new Due(rs.getLong(1), rs.getLong(2))));
    }

    /** Label Studio holds the front of this version (or a later one). */
    public void written(long projectId, long version) {
        store.transaction(c -> Sql.update(c, "UPDATE projects SET queue_written = max(queue_written, ?) WHERE project_id = ?",
                version, projectId));
    }

    /** Forgets the project's queue: its keys and its front. */
    public void forget(long projectId) {
        store.transaction(c -> {
            Sql.update(c, "DELETE FROM queue_front WHERE project_id = ?", projectId);
            Sql.update(c, "DELETE FROM rank_keys WHERE project_id = ?", projectId);
            Sql.update(c, "UPDATE projects SET queue_written = queue_version WHERE project_id = ?", projectId);
            return null;
        });
    }
}
