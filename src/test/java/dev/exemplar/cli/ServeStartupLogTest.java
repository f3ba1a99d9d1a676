package dev.exemplar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code exemplar serve} says when it starts, read from the log of a real start in a JVM of its own. */
class ServeStartupLogTest {
    private static final String TOKEN = "ls-token-6f1c2b9e";
    private static final String PASSWORD = "pw-0a7d3c";
    private static final String SECRET = "hook-secret-55e1";

    @TempDir
    Path dir;

    @Test
    void theStartUpBlockSaysWhereToGoAndNeverShowsASecret() throws Exception {
        String log = serve(Map.of("LABEL_STUDIO_URL", "http://labelstudio.example:8080", "LABEL_STUDIO_API_KEY", TOKEN,
                "BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", PASSWORD, "EXEMPLAR_WEBHOOK_SECRET", SECRET), "projects and review pages");
        Matcher port = Pattern.compile("listening on\\s+http://127\\.0\\.0\\.1:(\\d+)").matcher(log);
        assertThat(port.find()).as(log).isTrue();
        String url = "http://127.0.0.1:" + port.group(1);
        assertThat(log).contains("Label Studio        http://labelstudio.example:8080")
                .contains("basic auth          on (user ls")
                .contains("Backend URL " + url)
                .contains("projects and review pages: " + url + "/")
                .contains(url + "/ui/projects/<id>/review");
        assertThat(log).doesNotContain(TOKEN).doesNotContain(PASSWORD).doesNotContain(SECRET);
        assertThat(log.lines().filter(l -> l.contains("WARN"))).as("nothing to warn about").isEmpty();
    }

    @Test
    void withoutLabelStudioUrlTheBlockWarnsWhatDoesNotWork() throws Exception {
        String log = serve(Map.of(), "projects and review pages");
        assertThat(log).contains("Label Studio        not configured, LABEL_STUDIO_URL not set")
                .contains("basic auth          off")
                .contains("removal needs LABEL_STUDIO_URL");
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("basic auth is off"))).hasSize(1);
    }

    @Test
    void jettyAndJavalinSayNothingAtInfo() throws Exception {
        String log = serve(Map.of(), "projects and review pages");
        assertThat(log.lines().filter(l -> l.contains(" INFO ") && !l.contains(" dev.exemplar."))).as(log).isEmpty();
        assertThat(log).doesNotContain("org.eclipse.jetty").doesNotContain("Javalin version").doesNotContain("days old");
    }

    @Test
    void logLevelWarnSilencesExemplarsInfoLines() throws Exception {
        String log = serve(Map.of("LOG_LEVEL", "warn"), "basic auth is off");
        assertThat(log).contains("WARN dev.exemplar.server.BackendServer - SECURITY: basic auth is off");
        assertThat(log.lines().filter(l -> l.contains(" INFO "))).as(log).isEmpty();
        assertThat(log).doesNotContain("projects and review pages");
    }

    @Test
    void anUnknownLogLevelStopsTheStartWithAClearError() throws Exception {
        Path out = dir.resolve("serve.log");
        Process p = ChildJvm.start(ChildJvm.HEAP, env(Map.of("LOG_LEVEL", "loud")), out, "serve", "--port", "0");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(Main.CANNOT_RUN);
        assertThat(Files.readString(out)).isEqualToIgnoringNewLines(
                "error: setting log_level (LOG_LEVEL) must be one of trace, debug, info, warn or error, got 'loud'");
    }

    /** Starts serve on a free loopback port, waits until its log holds {@code until}, stops it and answers the log. */
    private String serve(Map<String, String> settings, String until) throws IOException, InterruptedException {
        Path out = dir.resolve("serve.log");
        Process p = ChildJvm.start(ChildJvm.HEAP, env(settings), out, "serve", "--port", "0", "--host", "127.0.0.1");
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains(until) && p.isAlive() && System.nanoTime() < end) Thread.sleep(100);
            Thread.sleep(300); // lines logged right after the awaited one
            return Files.readString(out);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    /** Exemplar's variables set as given, every other one of them cleared, whatever this JVM's environment holds. */
    private Map<String, String> env(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        for (String name : new String[] {"LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", "BASIC_AUTH_USER", "BASIC_AUTH_PASS",
                "EXEMPLAR_WEBHOOK_SECRET", "LOG_LEVEL", "EXEMPLAR_LABEL_STUDIO_HOSTS"}) env.put(name, "");
        env.put("EXEMPLAR_DATA_DIR", dir.resolve("data").toString());
        env.putAll(settings);
        return env;
    }
}
