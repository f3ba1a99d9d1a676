package dev.exemplar.cli;

import com.sun.net.httpserver.HttpServer;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar summarize EXPORT.json} reads only what the fetch policy allows: redirects are checked hop by hop
 * against {@code --allow-host}, local paths and {@code file:} URLs stay under the export's folder or
 * {@code --local-files-root} after {@code ..}, percent-encoding and symbolic links, and files above the size limit
 * are refused unread. Each refusal is a named item error and the run goes on.
 */
class FetchConfinementTest {
    @TempDir
    static Path tmp;
    static HttpServer server;
    static int port;

    @BeforeAll
    static void serve() throws IOException {
        byte[] served = CliFixtures.jpeg(CliFixtures.drawn(41));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                // the same server under a name that is not on the allow-list
                case "/away" -> ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/img/photo.jpg");
                case "/near" -> ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/img/photo.jpg");
                case "/loop" -> ex.getResponseHeaders().add("Location", "/loop");
                case "/file" -> ex.getResponseHeaders().add("Location", "file:///etc/passwd");
                default -> { }
            }
            boolean redirect = !path.startsWith("/img/");
            byte[] body = redirect ? new byte[0] : served;
            ex.sendResponseHeaders(redirect ? 302 : 200, redirect ? -1 : body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void everyRefusalIsANamedErrorAndTheGoodTasksAreOrdered() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("export"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        // a good image outside both roots: decodable, so only the policy keeps it out
        Files.write(outside.resolve("secret.jpg"), CliFixtures.jpeg(CliFixtures.drawn(77)));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("storage/rooms"));
        for (int i = 0; i < 3; i++) Files.write(dir.resolve("images/p" + i + ".jpg"), CliFixtures.jpeg(CliFixtures.drawn(i)));
        Files.write(dir.resolve("storage/rooms/lf.jpg"), CliFixtures.jpeg(CliFixtures.drawn(20)));
        Files.createSymbolicLink(dir.resolve("images/escape.jpg"), outside.resolve("secret.jpg"));
        Files.createSymbolicLink(dir.resolve("storage/rooms/escape.jpg"), Path.of("../../../outside/secret.jpg"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("images/huge.jpg").toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: instant, and never read
        }
        String http = "http://127.0.0.1:" + port;
        String tasks = String.join(",\n", new String[] {
                task(1, "images/p0.jpg"),
                task(2, "/data/local-files/?d=rooms/lf.jpg"),
                task(3, http + "/near"),
                task(4, dir.resolve("images/p1.jpg").toUri().toString()),
                task(10, outside.resolve("secret.jpg").toUri().toString()),
                task(11, outside.resolve("passwd").toUri().toString()),
                task(12, "/data/local-files/?d=../../outside/secret.jpg"),
                task(13, "/data/local-files/?d=%2e%2e%2f%2e%2e%2foutside%2fsecret.jpg"),
                task(14, "../outside/secret.jpg"),
                task(15, "images/../../outside/secret.jpg"),
                task(16, "images/escape.jpg"),
                task(17, "/data/local-files/?d=rooms/escape.jpg"),
                task(18, outside.resolve("secret.jpg").toString()),
                task(19, http + "/away"),
                task(20, http + "/loop"),
                task(21, http + "/file"),
                task(22, "images/huge.jpg")});
        Path export = dir.resolve("export.json");
        Files.writeString(export, "[" + tasks + "]");
        Path out = tmp.resolve("confined.json");

        CliFixtures.Outcome o = run("summarize", export.toString(), "--out", out.toString(),
                "--local-files-root", dir.resolve("storage").toString(), "--allow-host", "127.0.0.1");

        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);
        assertThat(r.order()).containsExactlyInAnyOrder("1", "2", "3", "4");
        Map<String, String> errors = errors(r);
        assertThat(errors).containsOnlyKeys("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22");
        assertThat(errors.get("10")).contains("is outside the export's folder").contains("--local-files-root");
        assertThat(errors.get("11")).contains("is outside").doesNotContain("root:x");
        assertThat(errors.get("12")).contains("is outside --local-files-root");
        assertThat(errors.get("13")).contains("is outside --local-files-root");
        assertThat(errors.get("14")).contains("is outside the export's folder");
        assertThat(errors.get("15")).contains("is outside the export's folder");
        assertThat(errors.get("16")).contains("leads outside the export's folder").contains("through a symbolic link");
        assertThat(errors.get("17")).contains("leads outside --local-files-root").contains("through a symbolic link");
        assertThat(errors.get("18")).contains("is outside");
        assertThat(errors.get("19")).contains("redirect from 127.0.0.1:" + port + " to localhost:" + port)
                .contains("host localhost is not allowed");
        assertThat(errors.get("20")).contains("more than 5 redirects");
        assertThat(errors.get("21")).contains("not http(s)");
        assertThat(errors.get("22")).contains("images/huge.jpg is 3221225472 bytes, more than the limit of 67108864 bytes");
        assertThat(r.errors()).allSatisfy(e -> assertThat(e.error()).doesNotContain("root:x"));
    }

    @Test
    void theSizeLimitIsAnOption() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("small"));
        Files.write(dir.resolve("a.jpg"), CliFixtures.jpeg(CliFixtures.drawn(1)));
        Files.write(dir.resolve("b.jpg"), CliFixtures.jpeg(CliFixtures.drawn(2)));
        Files.write(dir.resolve("c.jpg"), CliFixtures.jpeg(CliFixtures.drawn(3)));
        Files.write(dir.resolve("big.jpg"), new byte[20_000]);
        Path out = tmp.resolve("small.json");

        CliFixtures.Outcome o = run("summarize", dir.toString(), "--out", out.toString(), "--max-image-bytes", "10000");

        assertThat(o.code()).as(o.err()).isZero();
        Result r = Result.read(out);
        assertThat(r.order()).containsExactlyInAnyOrder("a.jpg", "b.jpg", "c.jpg");
        assertThat(errors(r).get("big.jpg")).contains("big.jpg is 20000 bytes, more than the limit of 10000 bytes");
    }

    @Test
    void aSizeLimitOutOfRangeCannotRun() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("range"));
        Files.write(dir.resolve("a.jpg"), CliFixtures.jpeg(CliFixtures.drawn(1)));
        CliFixtures.Outcome o = run("summarize", dir.toString(), "--out", tmp.resolve("range.json").toString(),
                "--max-image-bytes", "0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--max-image-bytes must be between 1 and");
    }

    private static String task(int id, String image) {
        return "{\"id\": " + id + ", \"data\": {\"image\": \"" + image.replace("\\", "\\\\") + "\"}}";
    }

    private static Map<String, String> errors(Result r) {
        return r.errors().stream().collect(Collectors.toMap(Result.ItemError::item, Result.ItemError::error));
    }
}
