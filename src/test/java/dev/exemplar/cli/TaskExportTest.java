package dev.exemplar.cli;

import com.sun.net.httpserver.HttpServer;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar summarize EXPORT.json}: Label Studio tasks with local, local-files and http images. */
class TaskExportTest {
    @TempDir
    static Path tmp;
    static HttpServer server;
    static String base;

    @BeforeAll
    static void serve() throws IOException {
        byte[] served = CliFixtures.jpeg(CliFixtures.drawn(40));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            boolean found = ex.getRequestURI().getPath().equals("/img/photo.jpg");
            byte[] body = found ? served : "not found".getBytes();
            ex.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** An export beside its images: relative, absolute and file:// paths, local-files, http, and a task without an image. */
    static Path export(Path dir, String extraTasks) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("storage/rooms"));
        for (int i = 0; i < 6; i++) {
            Files.write(dir.resolve("images/p" + i + ".jpg"), CliFixtures.jpeg(CliFixtures.drawn(i)));
        }
        Files.write(dir.resolve("storage/rooms/lf.jpg"), CliFixtures.jpeg(CliFixtures.drawn(20)));
        String abs = dir.resolve("images/p3.jpg").toAbsolutePath().toString().replace("\\", "/");
        String json = """
                [
                  {"id": 1, "data": {"image": "images/p0.jpg"}},
                  {"id": 2, "data": {"caption": "a room", "img": "images/p1.jpg"}},
                  {"id": 3, "data": {"image": "images/p2.jpg"}, "annotations": []},
                  {"id": 4, "data": {"image": "%s"}},
                  {"id": 5, "data": {"image": "%s"}},
                  {"id": 6, "data": {"image": "images/p5.jpg"}},
                  {"id": 7, "data": {"image": "/data/local-files/?d=rooms/lf.jpg"}},
                  {"id": 8, "data": {"image": "%s/img/photo.jpg"}},
                  {"id": 9, "data": {"image": "%s/img/missing.jpg"}},
                  {"id": 10, "data": {"text": "no picture here"}}%s
                ]
                """.formatted(abs, dir.resolve("images/p4.jpg").toUri(), base, base, extraTasks);
        Path export = dir.resolve("export.json");
        Files.writeString(export, json);
        return export;
    }

    @Test
    void itemsAreNamedByTaskIdAndFailedTasksAreErrors() throws IOException {
        Path dir = tmp.resolve("ok");
        Path export = export(dir, "");
        Path out = tmp.resolve("ok.json");
        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", out.toString(),
                "--local-files-root", dir.resolve("storage").toString());
        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);
        assertThat(r.order()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8");
        Map<String, String> errors = errors(r);
        assertThat(errors).containsOnlyKeys("9", "10");
        assertThat(errors.get("9")).contains("HTTP 404 from 127.0.0.1:" + server.getAddress().getPort());
        assertThat(errors.get("10")).contains("task has no image");
    }

    @Test
    void localFilesUrlsDefaultToTheExportsFolder() throws IOException {
        Path dir = tmp.resolve("lf");
        Path export = export(dir, "");
        // without --local-files-root, d=rooms/lf.jpg is looked up beside the export
        Files.createDirectories(dir.resolve("rooms"));
        Files.copy(dir.resolve("storage/rooms/lf.jpg"), dir.resolve("rooms/lf.jpg"));
        Path out = tmp.resolve("lf.json");
        assertThat(run("summarize", export.toString(), "--out", out.toString()).code()).isZero();
        assertThat(Result.read(out).order()).contains("7");
    }

    @Test
    void imageFieldChoosesTheField() throws IOException {
        Path dir = tmp.resolve("field");
        Path export = export(dir, "");
        Path out = tmp.resolve("field.json");
        assertThat(run("summarize", export.toString(), "--out", out.toString(), "--image-field", "img").code()).isZero();
        Result r = Result.read(out);
        assertThat(r.order()).containsExactly("2");
        assertThat(errors(r).get("1")).contains("data has no text field \"img\"");
    }

    @Test
    void hostsOutsideTheAllowListAreRefusedPerItem() throws IOException {
        Path dir = tmp.resolve("allow");
        Path export = export(dir, "");
        Path out = tmp.resolve("allow.json");
        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", out.toString(),
                "--local-files-root", dir.resolve("storage").toString(), "--allow-host", "images.example.org");
        assertThat(o.code()).as(o.err()).isZero();
        Map<String, String> errors = errors(Result.read(out));
        assertThat(errors).containsKeys("8", "9");
        assertThat(errors.get("8")).contains("host 127.0.0.1 is not allowed");
        assertThat(errors.get("9")).contains("host 127.0.0.1 is not allowed");
    }

    @Test
    void refusedConnectionsAreClearItemErrors() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path dir = tmp.resolve("refused");
        Path export = export(dir, ",\n{\"id\": 11, \"data\": {\"image\": \"http://127.0.0.1:" + closed + "/a.jpg\"}}");
        Path out = tmp.resolve("refused.json");
        assertThat(run("summarize", export.toString(), "--out", out.toString()).code()).isZero();
        assertThat(errors(Result.read(out)).get("11")).contains("connection refused by 127.0.0.1:" + closed);
    }

    @Test
    void anExportWithoutTasksCannotRun() throws IOException {
        Path export = tmp.resolve("empty.json");
        Files.writeString(export, "[]");
        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", tmp.resolve("e.json").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("error: the export " + export + " has no tasks");
    }

    @Test
    void aFileThatIsNotAnExportCannotRun() throws IOException {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "just words");
        CliFixtures.Outcome o = run("summarize", notes.toString(), "--out", tmp.resolve("n.json").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: " + notes + " is neither a folder nor a Label Studio tasks export")
                .doesNotContain("\tat ");
    }

    private static Map<String, String> errors(Result r) {
        return r.errors().stream().collect(Collectors.toMap(Result.ItemError::item, Result.ItemError::error));
    }
}
