package dev.exemplar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.config.Settings;
import dev.exemplar.server.BackendServer;
import dev.exemplar.store.Store;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code exemplar bench ...}: measurements whose last line is one JSON object of figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; each prints its figures as one JSON object on its last line.",
        subcommands = {BenchCommand.Serve.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: serve");
    }

    /**
     * /health latency while the engine works: the backend server runs in this process while the
     * engine summarises FOLDER on the same cores, as a project sync does.
     */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Latency of /health (p50, p99, max over N requests) while the engine summarises FOLDER in the same process.")
    static final class Serve implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "Images to summarise meanwhile (e.g. a dev dataset's images).")
        Path folder;

        @Option(names = "--requests", defaultValue = "1000", description = "Requests to /health (default: ${DEFAULT-VALUE}).")
        int requests;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(folder)) throw new CliFailure(folder + " is not a folder");
            Path data = Files.createTempDirectory("exemplar-bench");
            try (Store store = Store.open(data)) {
                BackendServer server = new BackendServer(Settings.fromEnvironment(), store, BackendServer.Projects.NONE);
                int port = server.start("127.0.0.1", 0);
                try {
                    var items = FolderSource.items(folder);
                    CompletableFuture<Pipeline.Run> engine = CompletableFuture.supplyAsync(
                            () -> Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE));
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
                    double[] ms = new double[requests];
                    int duringEngine = 0;
                    for (int i = 0; i < requests; i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                        ms[i] = (System.nanoTime() - t) / 1e6;
                        if (r.statusCode() != 200) throw new IllegalStateException("/health answered " + r.statusCode());
                        if (!engine.isDone()) duringEngine++;
                        Thread.sleep(5);
                    }
                    Pipeline.Run run = engine.get();
                    Arrays.sort(ms);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("benchmark", "serve");
                    figures.put("requests", requests);
                    figures.put("requests_while_engine_ran", duringEngine);
                    figures.put("health_p50_ms", round(ms[requests / 2]));
                    figures.put("health_p99_ms", round(ms[(int) Math.ceil(requests * 0.99) - 1]));
                    figures.put("health_max_ms", round(ms[requests - 1]));
                    figures.put("engine_items", run.result().order().size());
                    figures.put("engine_ms", run.millis());
                    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(figures));
                } finally {
                    server.close();
                }
            }
            return 0;
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }
}
