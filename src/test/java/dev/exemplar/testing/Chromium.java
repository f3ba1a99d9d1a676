package dev.exemplar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven over the DevTools protocol: load a page, press real keys
 * ({@code Input.dispatchKeyEvent}, so the page's keydown handlers run as for a person), type,
 * evaluate script, wait for a condition, take a screenshot. Script errors in the page are kept
 * for the test to check. For a page that only has to render, {@link #dumpDom} and
 * {@link #screenshot(Path, Path, int, int)} run the browser once on it from the command line.
 */
public final class Chromium implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final OkHttpClient http;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> pageErrors = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();

    private Chromium(Process process, Path profile, OkHttpClient http, String pageSocket) throws IOException {
        this.process = process;
        this.profile = profile;
        this.http = http;
        CompletableFuture<Void> open = new CompletableFuture<>();
        this.socket = http.newWebSocket(new Request.Builder().url(pageSocket).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws, Response response) {
                open.complete(null);
            }

            @Override
            public void onMessage(WebSocket ws, String text) {
                received(text);
            }

            @Override
            public void onFailure(WebSocket ws, Throwable t, Response response) {
                open.completeExceptionally(t);
                calls.values().forEach(c -> c.completeExceptionally(t));
            }
        });
        await(open, "the DevTools connection");
    }

    /** CI must have the browser; a developer without it gets a skipped test. */
    public static void require() {
        if (Files.isExecutable(BINARY)) return;
        if (System.getenv("CI") != null) fail("chromium is required in CI but " + BINARY + " is missing");
        Assumptions.assumeTrue(false, "chromium not installed; browser tests skipped");
    }

    /** The DOM of a page after its scripts ran, with this window size. */
    public static String dumpDom(Path page, int width, int height) throws IOException, InterruptedException {
        return runOnce(page, List.of("--dump-dom", "--virtual-time-budget=10000", "--window-size=" + width + "," + height));
    }

    /** A PNG of a page after its scripts ran, with this window size. */
    public static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        runOnce(page, List.of("--screenshot=" + png.toAbsolutePath(), "--virtual-time-budget=10000",
                "--hide-scrollbars", "--window-size=" + width + "," + height));
        if (!Files.isRegularFile(png)) fail("chromium wrote no screenshot");
    }

    /** One headless run of the browser on a page, with its own profile; what it printed. */
    private static String runOnce(Path page, List<String> extra) throws IOException, InterruptedException {
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

    /** A fresh browser (own empty profile) with one blank page of this viewport. */
    public static Chromium launch(int width, int height) throws IOException, InterruptedException {
        require();
        Path profile = Files.createTempDirectory("chromium-devtools");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
        try {
            int port = devToolsPort(profile, process);
            Chromium browser = new Chromium(process, profile, http, pageSocket(http, port));
            browser.call("Page.enable", Map.of());
            browser.call("Runtime.enable", Map.of());
            browser.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return browser;
        } catch (IOException | RuntimeException | Error e) {
            stop(process, profile, http);
            throw e;
        }
    }

    /** Chromium writes the port it chose to this file in its profile once it listens. */
    private static int devToolsPort(Path profile, Process process) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).matches("\\d+")) return Integer.parseInt(lines.get(0));
            }
            if (!process.isAlive()) throw new IOException("chromium exited with status " + process.exitValue() + " before listening");
            Thread.sleep(50);
        }
        throw new IOException("chromium did not open its DevTools port within 30 s");
    }

    private static String pageSocket(OkHttpClient http, int port) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/json/list").build()).execute()) {
            for (JsonNode target : JSON.readTree(r.body().string())) {
                if (target.path("type").asText().equals("page")) return target.get("webSocketDebuggerUrl").asText();
            }
        }
        throw new IOException("chromium has no page to drive");
    }

    /** Sent with every request the page makes, e.g. basic auth: {@code Authorization}. */
    public Chromium headers(Map<String, String> headers) {
        call("Network.enable", Map.of());
        call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
        return this;
    }

    /** Loads the URL and waits for its load event. */
    public void open(String url) {
        int before = loads.get();
        JsonNode r = call("Page.navigate", Map.of("url", url));
        if (r.hasNonNull("errorText")) fail("loading " + url + " failed: " + r.get("errorText").asText());
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (loads.get() == before) {
            if (System.nanoTime() > deadline) fail(url + " did not finish loading within " + CALL_TIMEOUT.toSeconds() + " s");
            pause(20);
        }
    }

    /** The value of a script expression (promises awaited); a script error fails the test. */
    public JsonNode eval(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            JsonNode d = r.get("exceptionDetails");
            fail("script failed: " + expression + ": " + d.path("exception").path("description").asText(d.path("text").asText()));
        }
        JsonNode value = r.path("result").get("value");
        return value == null ? NullNode.instance : value;
    }

    public String text(String expression) {
        return eval(expression).asText();
    }

    /** Waits until the expression is truthy in the page and returns its value. */
    public JsonNode waitFor(String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode v;
        do {
            v = eval(expression);
            if (truthy(v)) return v;
            pause(25);
        } while (System.nanoTime() < deadline);
        fail("timed out after " + timeout.toMillis() + " ms waiting for " + expression + " (last value " + v + ")");
        return v;
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return false;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isNumber()) return v.asDouble() != 0;
        if (v.isTextual()) return !v.asText().isEmpty();
        return true;
    }

    /** Inserts text where the focus is, as a paste would. */
    public void type(String text) {
        call("Input.insertText", Map.of("text", text));
    }

    /**
     * Presses and releases one key: a character ("a", "A" with Shift, "/", "?") or a key name
     * ("Enter", "Escape", "Tab", "Backspace", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End").
     */
    public void press(String key) {
        Key k = Key.of(key);
        ObjectNode down = JSON.createObjectNode().put("type", k.text == null ? "rawKeyDown" : "keyDown").put("key", k.key)
                .put("code", k.code).put("windowsVirtualKeyCode", k.keyCode).put("nativeVirtualKeyCode", k.keyCode)
                .put("modifiers", k.shift ? 8 : 0);
        if (k.text != null) down.put("text", k.text).put("unmodifiedText", k.text);
        call("Input.dispatchKeyEvent", down);
        ObjectNode up = down.deepCopy().put("type", "keyUp");
        up.remove("text");
        up.remove("unmodifiedText");
        call("Input.dispatchKeyEvent", up);
    }

    private record Key(String key, String code, int keyCode, String text, boolean shift) {
        private static final Map<String, Key> NAMED = Map.of(
                "Enter", new Key("Enter", "Enter", 13, "\r", false),
                "Escape", new Key("Escape", "Escape", 27, null, false),
                "Tab", new Key("Tab", "Tab", 9, null, false),
                "Backspace", new Key("Backspace", "Backspace", 8, null, false),
                "ArrowLeft", new Key("ArrowLeft", "ArrowLeft", 37, null, false),
                "ArrowUp", new Key("ArrowUp", "ArrowUp", 38, null, false),
                "ArrowRight", new Key("ArrowRight", "ArrowRight", 39, null, false),
                "ArrowDown", new Key("ArrowDown", "ArrowDown", 40, null, false),
                "Home", new Key("Home", "Home", 36, null, false),
                "End", new Key("End", "End", 35, null, false));
        private static final String SYMBOLS = " /?.,-[]";
        private static final String[] SYMBOL_CODES = {"Space", "Slash", "Slash", "Period", "Comma", "Minus", "BracketLeft", "BracketRight"};
        private static final int[] SYMBOL_KEYCODES = {32, 191, 191, 190, 188, 189, 219, 221};

        static Key of(String key) {
            if (NAMED.containsKey(key)) return NAMED.get(key);
            if (key.length() != 1) throw new IllegalArgumentException("no such key: " + key);
            char c = key.charAt(0);
            if (Character.isLetter(c) && c < 128) {
                char upper = Character.toUpperCase(c);
                return new Key(key, "Key" + upper, upper, key, Character.isUpperCase(c));
            }
            if (Character.isDigit(c)) return new Key(key, "Digit" + c, c, key, false);
            int i = SYMBOLS.indexOf(c);
            if (i < 0) throw new IllegalArgumentException("no such key: " + key);
            return new Key(key, SYMBOL_CODES[i], SYMBOL_KEYCODES[i], key, c == '?');
        }
    }

    /** A PNG of the viewport. */
    public void screenshot(Path png) throws IOException {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /** Uncaught exceptions and console.error calls in the page so far. */
    public synchronized List<String> pageErrors() {
        return List.copyOf(pageErrors);
    }

    /** Sends one DevTools command and waits for its answer. */
    public JsonNode call(String method, Object params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (!socket.send(message.toString())) fail("the DevTools connection is closed");
        JsonNode r = await(answer, method);
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error").path("message").asText());
        return r.path("result");
    }

    private void received(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> c = calls.remove(m.get("id").asInt());
            if (c != null) c.complete(m);
            return;
        }
        switch (m.path("method").asText()) {
            case "Page.loadEventFired" -> loads.incrementAndGet();
            case "Runtime.exceptionThrown" -> error(m.path("params").path("exceptionDetails").path("exception").path("description")
                    .asText(m.path("params").path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if (m.path("params").path("type").asText().equals("error")) error("console.error: " + m.path("params").path("args"));
            }
            default -> { }
        }
    }

    private synchronized void error(String text) {
        pageErrors.add(text);
    }

    private static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from chromium within " + CALL_TIMEOUT.toSeconds() + " s: " + what);
        } catch (ExecutionException e) {
            throw new AssertionError("chromium: " + what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        socket.close(1000, null);
        stop(process, profile, http);
    }

    private static void stop(Process process, Path profile, OkHttpClient http) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        try (Stream<Path> s = Files.walk(profile)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary profile is harmless
        }
    }
}
