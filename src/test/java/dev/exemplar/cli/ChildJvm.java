package dev.exemplar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The command line run in a JVM of its own with a 256 MB heap, as a user with a small machine runs it. */
final class ChildJvm {
    static final String HEAP = "-Xmx256m";

    /** How a run ended: its exit code and everything it printed. */
    record Ended(int exit, String output) { }

    private ChildJvm() { }

    /** Starts the command; its output goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(HEAP, log, args);
    }

    /** As {@link #start(Path, String...)} with another heap option. */
    static Process start(String heap, Path log, String... args) throws IOException {
        return start(heap, Map.of(), log, args);
    }

    /** As {@link #start(String, Path, String...)} with these environment variables added to this JVM's. */
    static Process start(String heap, Map<String, String> env, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, heap, "-cp", pluginClassPath(), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        return b.start();
    }

    /**
     * The command line's class path as its jar has it: this JVM's folders of classes and the libraries the build lists
     * in {@code target/plugin-class-path.txt}, without Spark, which only the Spark job's tests need.
     */
    static String pluginClassPath() throws IOException {
        Path listed = Path.of("target", "plugin-class-path.txt");
        String all = System.getProperty("java.class.path");
        if (!Files.exists(listed)) return all;
        List<String> out = new ArrayList<>();
        for (String entry : all.split(File.pathSeparator)) if (Files.isDirectory(Path.of(entry))) out.add(entry);
        out.add(Files.readString(listed).strip());
        return String.join(File.pathSeparator, out);
    }

    /** Runs the command to its end, which must come within the bound. */
    static Ended run(Path log, long boundSeconds, String... args) throws IOException, InterruptedException {
        return run(HEAP, log, boundSeconds, args);
    }

    /** As {@link #run(Path, long, String...)} with another heap option. */
    static Ended run(String heap, Path log, long boundSeconds, String... args) throws IOException, InterruptedException {
        Process p = start(heap, log, args);
        boolean ended = p.waitFor(boundSeconds, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String output = Files.readString(log);
        assertThat(ended).as("ended within %d s: %s", boundSeconds, output).isTrue();
        return new Ended(p.exitValue(), output);
    }
}
