package dev.exemplar.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Features cached by the content hash of the image bytes, shared by all projects, so an image is
 * decoded once however often the backend restarts or however many projects name it. A row of another
 * format version counts as missing: the caller recomputes it and {@link #put} replaces it.
 */
public final class FeatureStore {
    /** One image's cached features; {@code keypoints} may be null (computed only when needed). */
    public record Features(int formatVersion, float[] descriptor, byte[] thumbnail, byte[] keypoints) {
        public Features {
            Objects.requireNonNull(descriptor, "descriptor");
            Objects.requireNonNull(thumbnail, "thumbnail");
        }
    }

    /** Below SQLite's limit on bound parameters, with room to spare. */
    private static final int CHUNK = 500;

    private final Store store;

    FeatureStore(Store store) {
        this.store = store;
    }

    public Optional<Features> get(String hash, int formatVersion) {
        return Optional.ofNullable(getAll(List.of(hash), formatVersion).get(hash));
    }

    /** The features held for these hashes in this format; hashes without them are absent from the map. */
    Map<String, Features> getAll(Collection<String> hashes, int formatVersion) {
        return select("descriptor, thumbnail, keypoints", hashes, formatVersion,
                rs -> new Features(formatVersion, Blobs.toFloats(rs.getBytes(2)), rs.getBytes(3), rs.getBytes(4)));
    }

    /** An image's global features, and whether it has keypoints (a photograph), which are left in the store. */
    public record Global(float[] descriptor, byte[] thumbnail, boolean photograph) { }

    /**
     * As {@link #getAll} without reading the keypoints: what a project's run holds of every image, the keypoints
     * (the larger part) being read a pair at a time by {@link #keypoints}.
     */
    public Map<String, Global> globals(Collection<String> hashes, int formatVersion) {
        return select("descriptor, thumbnail, keypoints IS NOT NULL", hashes, formatVersion,
                rs -> new Global(Blobs.toFloats(rs.getBytes(2)), rs.getBytes(3), rs.getBoolean(4)));
    }

    /** Whether features of this image in this format are stored. */
    public boolean contains(String hash, int formatVersion) {
        return store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM features WHERE content_hash = ? AND format_version = ?")) {
                q.setString(1, hash);
                q.setInt(2, formatVersion);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The stored keypoints of one image in this format, or null (none, or not stored). */
    public byte[] keypoints(String hash, int formatVersion) {
        return store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT keypoints FROM features WHERE content_hash = ? AND format_version = ?")) {
                q.setString(1, hash);
                q.setInt(2, formatVersion);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> Map<String, T> select(String columns, Collection<String> hashes, int formatVersion, Row<T> row) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(hashes));
        return store.transaction(c -> {
            Map<String, T> out = new HashMap<>();
            for (int from = 0; from < distinct.size(); from += CHUNK) {
                List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK));
                String sql = "SELECT content_hash, " + columns + " FROM features"
                        + " WHERE format_version = ? AND content_hash IN (" + "?,".repeat(chunk.size() - 1) + "?)";
                try (PreparedStatement q = c.prepareStatement(sql)) {
                    q.setInt(1, formatVersion);
                    for (int i = 0; i < chunk.size(); i++) q.setString(i + 2, chunk.get(i));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), row.read(rs));
                    }
                }
            }
            return out;
        });
    }

    public void put(String hash, Features f) {
        putAll(Map.of(hash, f));
    }

    /** Stores many in one transaction: one commit instead of one per image. */
    public void putAll(Map<String, Features> byHash) {
        long now = store.now();
        store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO features (content_hash, format_version, descriptor, thumbnail, keypoints, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (content_hash) DO UPDATE SET format_version = excluded.format_version,"
                            + " descriptor = excluded.descriptor, thumbnail = excluded.thumbnail,"
                            + " keypoints = excluded.keypoints, created_at = excluded.created_at")) {
                for (var e : byHash.entrySet()) {
                    Features f = e.getValue();
                    q.setString(1, e.getKey());
                    q.setInt(2, f.formatVersion());
                    q.setBytes(3, Blobs.fromFloats(f.descriptor()));
                    q.setBytes(4, f.thumbnail());
                    q.setBytes(5, f.keypoints());
                    q.setLong(6, now);
                    q.addBatch();
                }
                q.executeBatch();
            }
            return null;
        });
    }

    /** The learned features held for these hashes in this format; hashes without them are absent from the map. */
    public Map<String, float[]> learned(Collection<String> hashes, int formatVersion) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(hashes));
        return store.transaction(c -> {
            Map<String, float[]> out = new HashMap<>();
            for (int from = 0; from < distinct.size(); from += CHUNK) {
                List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK));
                Sql.query(c, "SELECT content_hash, vector FROM learned_features WHERE format_version = ?"
                        + " AND content_hash IN (SELECT value FROM json_each(?))",
                        rs -> out.put(rs.getString(1), Blobs.toFloats(rs.getBytes(2))), formatVersion, Sql.strings(chunk));
            }
            return out;
        });
    }

    /** Stores learned features by content hash, in one transaction. */
    public void putLearned(Map<String, float[]> byHash, int formatVersion) {
        if (byHash.isEmpty()) return;
        long now = store.now();
        store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO learned_features (content_hash, format_version, vector, created_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (content_hash) DO UPDATE SET format_version = excluded.format_version,"
                            + " vector = excluded.vector, created_at = excluded.created_at")) {
                for (var e : byHash.entrySet()) {
                    Sql.bind(q, e.getKey(), formatVersion, Blobs.fromFloats(e.getValue()), now);
                    q.addBatch();
                }
                q.executeBatch();
            }
            return null;
        });
    }

    /** Two images by content hash, the smaller hash first. */
    public record Pair(String first, String second) {
        public Pair {
            if (first.compareTo(second) > 0) {
                String t = first;
                first = second;
                second = t;
            }
        }
    }

    /** Scene verification's inliers recorded for pairs of these hashes in this format, both hashes among them. */
    public Map<Pair, Integer> scenePairs(Collection<String> hashes, int formatVersion) {
        String json = Sql.strings(new LinkedHashSet<>(hashes));
        return store.transaction(c -> {
            Map<Pair, Integer> out = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT first_hash, second_hash, inliers FROM scene_pairs"
                    + " WHERE format_version = ? AND first_hash IN (SELECT value FROM json_each(?))"
                    + " AND second_hash IN (SELECT value FROM json_each(?))")) {
                q.setInt(1, formatVersion);
                q.setString(2, json);
                q.setString(3, json);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) out.put(new Pair(rs.getString(1), rs.getString(2)), rs.getInt(3));
                }
            }
            return out;
        });
    }

    /** Records scene verification's inliers for pairs, in one transaction. */
    public void putScenePairs(Map<Pair, Integer> inliers, int formatVersion) {
        if (inliers.isEmpty()) return;
        store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("INSERT INTO scene_pairs (first_hash, second_hash, format_version, inliers)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (first_hash, second_hash) DO UPDATE SET"
                    + " format_version = excluded.format_version, inliers = excluded.inliers")) {
                for (var e : inliers.entrySet()) {
                    q.setString(1, e.getKey().first());
                    q.setString(2, e.getKey().second());
                    q.setInt(3, formatVersion);
                    q.setInt(4, e.getValue());
                    q.addBatch();
                }
                q.executeBatch();
            }
            return null;
        });
    }

    /** Drops features no task of any project names any more; returns how many. */
    int deleteUnreferenced() {
        return store.transaction(c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM scene_pairs WHERE first_hash NOT IN (SELECT content_hash FROM tasks WHERE content_hash IS NOT NULL)"
                        + " OR second_hash NOT IN (SELECT content_hash FROM tasks WHERE content_hash IS NOT NULL)");
                return s.executeUpdate("DELETE FROM features WHERE content_hash NOT IN"
                        + " (SELECT content_hash FROM tasks WHERE content_hash IS NOT NULL)");
            }
        });
    }
}
