package dev.exemplar.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs Debian's headless Chromium on a page: DOM after scripts ran, or a screenshot. */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() { }

    /** CI must have the browser; a developer without it gets a skipped test. */
    static void require() {
        if (Files.isExecutable(BINARY)) return;
        if (System.getenv("CI") != null) fail("chromium is required in CI but " + BINARY + " is missing");
        Assumptions.assumeTrue(false, "chromium not installed; browser tests skipped");
    }

    static String dumpDom(Path page, int width, int height) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom", "--virtual-time-budget=10000", "--window-size=" + width + "," + height));
    }

    static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--virtual-time-budget=10000",
                "--hide-scrollbars", "--window-size=" + width + "," + height));
        if (!Files.isRegularFile(png)) fail("chromium wrote no screenshot");
    }

    private static String run(Path page, List<String> extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("chromium", ".out");
        try {
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
            cmd.addAll(extra);
            cmd.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
