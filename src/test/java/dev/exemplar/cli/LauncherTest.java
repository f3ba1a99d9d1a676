package dev.exemplar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ./exemplar} launcher, with stand-ins for Maven and Java: what it says before it builds, and what it runs. */
class LauncherTest {
    @TempDir
    Path tmp;

    /** A project folder with the launcher and the files whose age decides a build, and no jar yet. */
    private Path project() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.copy(Path.of("exemplar"), project.resolve("exemplar"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve("plugin.yaml"), "");
        Files.createDirectories(project.resolve("src/main"));
        return project;
    }

    @Test
    void saysTheFirstBuildTakesMinutesOnlyWhenTheJarIsMissing() throws Exception {
        Path project = project();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("mvn"), "mkdir -p target && touch target/exemplar.jar");
        script(bin.resolve("java"), "exit 0");

        String first = launch(project, bin);
        assertThat(first).contains("exemplar: building " + project.resolve("target/exemplar.jar")
                + " for the first time; this takes a couple of minutes ...");
        assertThat(launch(project, bin)).isEmpty();
        Files.setLastModifiedTime(project.resolve("target/exemplar.jar"), Files.getLastModifiedTime(project.resolve("pom.xml")));
        Files.setLastModifiedTime(project.resolve("pom.xml"),
                FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(launch(project, bin)).contains("exemplar: building").doesNotContain("first time");
    }

    @Test
    void runsBenchSparkOnTheJobsJarAndSparksClassPath() throws Exception {
        Path project = project();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("mvn"), "mkdir -p target && touch target/exemplar.jar target/exemplar-spark.jar"
                + " && echo /m2/spark-core.jar:/m2/scala-library.jar > target/spark-class-path.txt");
        script(bin.resolve("java"), "echo \"$@\" > " + tmp.resolve("java-args"));

        launch(project, bin, "bench", "spark", "--features", "rows.f32", "--dim", "64");

        String args = Files.readString(tmp.resolve("java-args")).strip();
        assertThat(args).contains("-cp " + project.resolve("target/exemplar-spark.jar") + ":/m2/spark-core.jar:/m2/scala-library.jar")
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
                .endsWith("dev.exemplar.spark.SparkBench --features rows.f32 --dim 64");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the launcher and returns what it wrote to stderr. */
    private static String launch(Path project, Path bin) throws Exception {
        return launch(project, bin, "--version");
    }

    private static String launch(Path project, Path bin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", project.resolve("exemplar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return err.strip();
    }
}
