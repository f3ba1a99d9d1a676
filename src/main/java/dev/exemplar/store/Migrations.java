package dev.exemplar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forward-only schema migrations: scripts {@code migrations/V<n>__<what>.sql} beside this class,
 * applied in order, each in its own transaction, and recorded in {@code schema_version}.
 * A released script is never edited; a change is a new script.
 */
final class Migrations {
    /** In order; listed here because a jar cannot be listed reliably as a directory. */
    static final List<String> SCRIPTS = List.of(
            "V1__initial.sql",
            "V2__phase_started.sql",
            "V3__propagation.sql",
            "V4__order_basis.sql",
            "V5__review_by_delegate.sql",
            "V6__scene_pairs.sql",
            "V7__neighbours.sql",
            "V8__queue.sql",
            "V9__learned_features.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    private Migrations() { }

    /** The version the code knows: the number of the last script. */
    static int latest() {
        return version(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    static int version(String script) {
        Matcher m = NAME.matcher(script);
        if (!m.matches()) throw new IllegalStateException("migration script not named V<n>__<what>.sql: " + script);
        return Integer.parseInt(m.group(1));
    }

    /** Applies the missing scripts; returns the resulting version. */
    static int apply(Connection c, Clock clock) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        int current = current(c);
        if (current > latest()) {
            throw new StoreException("the database has schema version " + current + " but this Exemplar knows versions up to "
                    + latest() + "; it was written by a newer Exemplar. Use that version, or another data directory.");
        }
        for (int i = 0; i < SCRIPTS.size(); i++) {
            String script = SCRIPTS.get(i);
            int v = version(script);
            if (v != i + 1) throw new IllegalStateException("migration scripts must be numbered 1, 2, 3...: " + script);
            if (v <= current) continue;
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(read(script))) s.executeUpdate(sql);
                try (var insert = c.prepareStatement("INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
                    insert.setInt(1, v);
                    insert.setString(2, script);
                    insert.setLong(3, clock.millis());
                    insert.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw new StoreException("migration " + script + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
            current = v;
        }
        return current;
    }

    static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) throw new IllegalStateException("missing migration resource " + script);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }

    /**
     * Splits a script into statements at semicolons that end a line, after dropping comments.
     * Enough for DDL; a trigger body (semicolons inside) would need a smarter split.
     */
    static List<String> statements(String script) {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String part : clean.toString().split(";\\s*\n")) {
            String sql = part.strip();
            if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1).strip();
            if (!sql.isEmpty()) out.add(sql);
        }
        return out;
    }
}
