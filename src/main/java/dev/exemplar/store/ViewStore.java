package dev.exemplar.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Label Studio views (tabs) the backend created in a project, by purpose, so it updates them instead of adding more. */
public final class ViewStore {
    private final Store store;

    ViewStore(Store store) {
        this.store = store;
    }

    public void put(long projectId, String purpose, long viewId) {
        store.transaction(c -> Sql.update(c, "INSERT INTO views (project_id, purpose, view_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (project_id, purpose) DO UPDATE SET view_id = excluded.view_id", projectId, purpose, viewId));
    }

    public Optional<Long> get(long projectId, String purpose) {
        return store.transaction(c -> Sql.query(c, "SELECT view_id FROM views WHERE project_id = ? AND purpose = ?",
                rs -> rs.getLong(1), projectId, purpose)).stream().findFirst();
    }

    /** Purpose to view id. */
    public Map<String, Long> all(long projectId) {
        Map<String, Long> out = new LinkedHashMap<>();
        store.transaction(c -> Sql.query(c, "SELECT purpose, view_id FROM views WHERE project_id = ? ORDER BY purpose",
                rs -> out.put(rs.getString(1), rs.getLong(2)), projectId));
        return out;
    }

    public boolean remove(long projectId, String purpose) {
        return store.transaction(c -> Sql.update(c, "DELETE FROM views WHERE project_id = ? AND purpose = ?", projectId, purpose)) > 0;
    }
}
