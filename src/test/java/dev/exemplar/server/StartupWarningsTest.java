package dev.exemplar.server;

import dev.exemplar.backend.Background;
import dev.exemplar.backend.StoreService;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up says, one WARN line each, when basic auth is off and when /setup's hostname decides which host is called. */
class StartupWarningsTest {
    @TempDir
    Path dir;

    private String startupLog(Map<String, String> env) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Store store = Store.open(dir)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (BackendServer server = new BackendServer(new Settings(Manifest.load(), env::get),
                    new StoreService(Manifest.load().modelVersion(), store, Background.NONE, null))) {
                server.start("127.0.0.1", 0);
            }
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anOpenBackendSaysSoOnceEach() {
        String log = startupLog(Map.of());
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("basic auth is off"))).hasSize(1);
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("LABEL_STUDIO_URL is unset"))).hasSize(1);
    }

    @Test
    void aClosedBackendSaysNothing() {
        String log = startupLog(Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw", "LABEL_STUDIO_URL", "http://ls:8080"));
        assertThat(log).doesNotContain("SECURITY");
    }
}
