package dev.exemplar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Label Studio projects the backend serves, and where each one's synchronisation stands. */
public final class ProjectStore {
    /**
     * A project; {@code syncPhase} is kept so that a restart resumes from it. {@code settingsJson} is the
     * ML backend's extra_params as /setup last sent them, as stored, and {@code settings} the same read.
     */
    public record Project(long id, String labelConfigHash, String imageField, String settingsJson, JsonNode settings,
                          String modelVersion, SyncPhase syncPhase, long progressDone, long progressTotal, Integer summarySize,
                          String lastError, Instant updatedAt, Instant phaseStartedAt) { }

    private static final String COLUMNS = "project_id, label_config_hash, image_field, settings_json, model_version,"
            + " sync_phase, progress_done, progress_total, summary_size, last_error, updated_at, phase_started_at";

    private final Store store;

    ProjectStore(Store store) {
        this.store = store;
    }

    /** Creates the project when new; its other fields keep their values when it exists. */
    public void ensure(long projectId) {
        long now = store.now();
        update("INSERT INTO projects (project_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING", projectId, now);
    }

    /** Records how the project is set up; creates it if needed. */
    public void configure(long projectId, String labelConfigHash, String imageField, String settingsJson, String modelVersion) {
        long now = store.now();
        update("INSERT INTO projects (project_id, label_config_hash, image_field, settings_json, model_version, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET"
                        + " label_config_hash = excluded.label_config_hash, image_field = excluded.image_field,"
                        + " settings_json = excluded.settings_json, model_version = excluded.model_version,"
                        + " updated_at = excluded.updated_at",
                projectId, labelConfigHash, imageField, settingsJson == null ? "{}" : settingsJson, modelVersion, now);
    }

    /** Moves to a phase and restarts its progress count. */
    public void phase(long projectId, SyncPhase phase, long total) {
        long now = store.now();
        update("UPDATE projects SET sync_phase = ?, progress_done = 0, progress_total = ?, updated_at = ?, phase_started_at = ?"
                + " WHERE project_id = ?", phase.text(), total, now, now, projectId);
    }

    public void progress(long projectId, long done, long total) {
        update("UPDATE projects SET progress_done = ?, progress_total = ?, updated_at = ? WHERE project_id = ?",
                done, total, store.now(), projectId);
    }

    /** The last failure to show the user; null clears it. */
    public void error(long projectId, String error) {
        update("UPDATE projects SET last_error = ?, updated_at = ? WHERE project_id = ?", error, store.now(), projectId);
    }

    /** The label config's XML, kept for propagation (webhooks and /setup carry it). */
    public void labelConfig(long projectId, String config) {
        ensure(projectId);
        update("UPDATE projects SET label_config = ? WHERE project_id = ? AND label_config IS NOT ?", config, projectId, config);
    }

    public Optional<String> labelConfig(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT label_config FROM projects WHERE project_id = ? AND label_config IS NOT NULL",
                rs -> rs.getString(1), projectId)).stream().findFirst();
    }

    /** Label Studio's URL as /setup last gave it (the key it gave is never stored). */
    public void labelStudioUrl(long projectId, String url) {
        ensure(projectId);
        update("UPDATE projects SET ls_url = ? WHERE project_id = ? AND ls_url IS NOT ?", url, projectId, url);
    }

    public Optional<String> labelStudioUrl(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT ls_url FROM projects WHERE project_id = ? AND ls_url IS NOT NULL",
                rs -> rs.getString(1), projectId)).stream().findFirst();
    }

    /**
     * What the stored order was built from: the settings ({@code options}), the items when it was
     * last made afresh, and the items added or removed since.
     */
    public record OrderBasis(String options, int items, int drift) { }

    public void orderBasis(long projectId, OrderBasis b) {
        update("UPDATE projects SET order_options = ?, order_items = ?, order_drift = ? WHERE project_id = ?",
                b.options(), b.items(), b.drift(), projectId);
    }

    public Optional<OrderBasis> orderBasis(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT order_options, order_items, order_drift FROM projects"
                + " WHERE project_id = ? AND order_options IS NOT NULL", rs -> new OrderBasis(rs.getString(1), rs.getInt(2), rs.getInt(3)),
                projectId)).stream().findFirst();
    }

    /** What propagation cannot do for the project (say, an unsupported control tag); null when nothing. */
    public void propagationNote(long projectId, String note) {
        update("UPDATE projects SET propagation_note = ? WHERE project_id = ? AND propagation_note IS NOT ?", note, projectId, note);
    }

    public Optional<String> propagationNote(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT propagation_note FROM projects WHERE project_id = ? AND propagation_note IS NOT NULL",
                rs -> rs.getString(1), projectId)).stream().findFirst();
    }

    public Optional<Project> get(long projectId) {
        List<Project> found = query("SELECT " + COLUMNS + " FROM projects WHERE project_id = ?", projectId);
        return found.stream().findFirst();
    }

    public List<Project> all() {
        return query("SELECT " + COLUMNS + " FROM projects ORDER BY project_id");
    }

    /** Forgets the project with its tasks, order, links, duplicates and views (not its queued events). */
    public boolean delete(long projectId) {
        return update("DELETE FROM projects WHERE project_id = ?", projectId) > 0;
    }

    private int update(String sql, Object... args) {
        return store.transaction(c -> Sql.update(c, sql, args));
    }

    private List<Project> query(String sql, Object... args) {
        return store.transaction(c -> Sql.query(c, sql, ProjectStore::read, args));
    }

    private static Project read(ResultSet rs) throws SQLException {
        Integer summarySize = Sql.nullableInt(rs, 9);
        return new Project(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), settings(rs.getString(4)), rs.getString(5),
                Words.parse(SyncPhase.class, rs.getString(6)), rs.getLong(7), rs.getLong(8), summarySize, rs.getString(10),
                Instant.ofEpochMilli(rs.getLong(11)), rs.getObject(12) == null ? null : Instant.ofEpochMilli(rs.getLong(12)));
    }

    /** The stored extra_params, valid JSON by the table's check. */
    private static JsonNode settings(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored settings are unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
