package dev.exemplar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The few JDBC chores every repository repeats. */
final class Sql {
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Sql() { }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, args);
            return q.executeUpdate();
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, args);
            try (ResultSet rs = q.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(row.read(rs));
                return out;
            }
        }
    }

    /**
     * Ids as one JSON array parameter, for {@code x IN (SELECT value FROM json_each(?))}: one
     * statement however many ids, without building SQL text.
     */
    static String ids(Collection<Long> ids) {
        StringBuilder out = new StringBuilder(ids.size() * 8 + 2).append('[');
        for (long id : ids) out.append(out.length() > 1 ? "," : "").append(id);
        return out.append(']').toString();
    }

    /** Strings as one JSON array parameter, as {@link #ids} does for ids. */
    static String strings(Collection<String> values) {
        StringBuilder out = new StringBuilder(values.size() * 68 + 2).append('[');
        for (String v : values) {
            if (out.length() > 1) out.append(',');
            out.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }

    static void bind(PreparedStatement q, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) q.setObject(i + 1, args[i]);
    }

    static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
