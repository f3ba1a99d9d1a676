package dev.exemplar.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {
    @TempDir Path dir;

    @Test
    void anEmptyDirectoryGetsTheWholeSchemaAtTheLatestVersion() throws Exception {
        Path data = dir.resolve("not/yet/there");
        try (Store store = Store.open(data)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
            assertThat(Files.exists(data.resolve(Store.FILE_NAME))).isTrue();
        }
        assertThat(tables(data)).contains("schema_version", "projects", "tasks", "features", "links", "duplicates", "events", "views");
        assertThat(pragma(data, "journal_mode")).isEqualTo("wal");
    }

    @Test
    void reopeningAppliesNothingTwiceAndKeepsTheData() throws Exception {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(7);
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
            assertThat(store.projects().get(7)).isPresent();
        }
        assertThat(query(dir, "SELECT COUNT(*) FROM schema_version")).isEqualTo(String.valueOf(Migrations.SCRIPTS.size()));
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedWithAClearMessage() throws Exception {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
        }
        int future = Migrations.latest() + 1;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Store.FILE_NAME))) {
            c.createStatement().executeUpdate("INSERT INTO schema_version VALUES (" + future + ", 'V" + future + "__later.sql', 0)");
        }
        assertThatThrownBy(() -> Store.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + future)
                .hasMessageContaining("newer Exemplar");
        // refusing changed nothing, and released the directory
        assertThat(query(dir, "SELECT MAX(version) FROM schema_version")).isEqualTo(String.valueOf(future));
        assertThatThrownBy(() -> Store.open(dir)).hasMessageContaining("newer Exemplar");
    }

    @Test
    void scriptsAreNumberedOneByOne() {
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            assertThat(Migrations.version(Migrations.SCRIPTS.get(i))).isEqualTo(i + 1);
        }
    }

    @Test
    void scriptsSplitAtLineEndingSemicolonsIgnoringComments() {
        assertThat(Migrations.statements("-- a; comment\nCREATE TABLE a (x TEXT DEFAULT '{}'); -- why\n\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x TEXT DEFAULT '{}')", "CREATE INDEX i ON a (x)");
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> Store.open(dir)).isInstanceOf(StoreException.class).hasMessageContaining("in use");
        }
        Store.open(dir).close();
    }

    @Test
    void theDataDirectoryComesFromTheEnvironment() {
        assertThat(Store.dataDir(java.util.Map.of("EXEMPLAR_DATA_DIR", "/srv/exemplar"))).isEqualTo(Path.of("/srv/exemplar"));
        assertThat(Store.dataDir(java.util.Map.of("XDG_DATA_HOME", "/home/u/.data"))).isEqualTo(Path.of("/home/u/.data/exemplar"));
    }

    private static List<String> tables(Path data) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Store.FILE_NAME));
             var rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static String pragma(Path data, String name) throws Exception {
        return query(data, "PRAGMA " + name);
    }

    private static String query(Path data, String sql) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Store.FILE_NAME));
             var rs = c.createStatement().executeQuery(sql)) {
            return rs.getString(1);
        }
    }
}
