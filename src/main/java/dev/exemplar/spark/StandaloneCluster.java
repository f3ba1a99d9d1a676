package dev.exemplar.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Spark standalone master and workers on 127.0.0.1, each a JVM of its own started from the Spark jars on this
 * class path, as spark-class would start them. Closing it ends every process it started and their executors.
 */
final class StandaloneCluster implements AutoCloseable {
    /**
     * What this JVM runs with: the Spark jars, the engine and the job (surefire gives the test the full path here, not
     * its booter jar; {@code ./exemplar bench spark} the job's jar and Spark's).
     */
    static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> workerUis = new ArrayList<>();
    private final Path dir;
    private final String memory;
    private final int port = freePort(), ui = freePort();

    private StandaloneCluster(Path dir, String memory) {
        this.dir = dir;
        this.memory = memory;
    }

    /** A master and {@code workers} workers of one core and 1 GB each, back once every worker has registered. */
    static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        return start(dir, workers, "1g");
    }

    /** As {@link #start(Path, int)}, each worker offering {@code memory} (as Spark writes it: 1g, 512m) to its executor. */
    static StandaloneCluster start(Path dir, int workers, String memory) throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(dir, memory);
        try {
            c.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(c.port),
                    "--webui-port", String.valueOf(c.ui));
            // a worker that finds no master retries only 5 to 15 seconds later
            c.await("the master", Duration.ofSeconds(60), state -> true);
            for (int i = 0; i < workers; i++) {
                int ui = freePort();
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                c.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", c.url(), "--host", "127.0.0.1", "--cores", "1",
                        "--memory", memory, "--webui-port", String.valueOf(ui), "--work-dir", work.toString());
                c.workerUis.add(ui);
            }
            c.await(workers + " workers", Duration.ofSeconds(60), state -> state.path("aliveworkers").asInt() == workers);
            return c;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /**
     * A driver of this cluster, in this JVM (client mode): one executor a worker, which gets its classes from this
     * class path as there is no Spark distribution on the workers, and no stage before every worker's executor is
     * there, so none is left without tasks.
     */
    SparkSession.Builder driver(String appName) {
        return SparkSession.builder().master(url()).appName(appName)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", CLASS_PATH)
                .config("spark.executor.memory", memory)
                .config("spark.cores.max", String.valueOf(workerUis.size())).config("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    }

    /** The web UI ports of the workers, whose {@code /json/} lists their executors. */
    List<Integer> workerUis() {
        return workerUis;
    }

    /** The executor ids that a worker runs, or ran, for an application. */
    List<String> executorsOf(int workerUi, String application) throws IOException, InterruptedException {
        JsonNode state = json(workerUi);
        List<String> ids = new ArrayList<>();
        for (String list : List.of("executors", "finishedexecutors")) {
            for (JsonNode e : state.path(list)) if (e.path("appid").asText().equals(application)) ids.add(e.path("id").asText());
        }
        return ids;
    }

    private void launch(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                // the master and workers only pass messages and start executors: starting fast matters more than peak speed
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.addAll(List.of("-cp", CLASS_PATH, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        // A worker builds its executors' class path from SPARK_HOME/jars, which must exist, and the Scala version, which
        // it otherwise reads from a Spark build: an empty home does, as the executors get their classes from
        // spark.executor.extraClassPath.
        Path home = Files.createDirectories(dir.resolve("spark-home/jars")).getParent();
        b.environment().put("SPARK_HOME", home.toString());
        b.environment().put("SPARK_SCALA_VERSION", "2.13");
        b.environment().put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
        processes.add(b.start());
    }

    /** Waits until the master's state, once its UI answers, shows what is awaited. */
    private void await(String what, Duration limit, Predicate<JsonNode> ready) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) throw new IllegalStateException("a cluster process ended:\n" + logs());
            }
            try {
                if (ready.test(json(ui))) return;
            } catch (IOException notYetListening) {
                // the master's UI is not up yet
            }
            if (System.nanoTime() > end) throw new IllegalStateException(what + " not up in " + limit + ":\n" + logs());
            Thread.sleep(200);
        }
    }

    private static JsonNode json(int ui) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui + "/json/")).timeout(Duration.ofSeconds(10)).build();
        return Json.MAPPER.readTree(HTTP.send(get, HttpResponse.BodyHandlers.ofString()).body());
    }

    private String logs() {
        StringBuilder s = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                s.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    /** Ends each process with its descendants, the executors, found first: once a worker is gone they are nobody's children. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            tree.add(p.toHandle());
            tree.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : tree) h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
