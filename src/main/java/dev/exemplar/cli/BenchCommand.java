package dev.exemplar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.analysis.WaveletClustering;
import dev.exemplar.config.Settings;
import dev.exemplar.labelstudio.SyncService;
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
        subcommands = {BenchCommand.Serve.class, BenchCommand.Analyze.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: serve, analyze");
    }

    /**
     * /health latency while the backend works: either a real sync of a Label Studio project
     * (--label-studio, --key, --project), started through /setup as Label Studio does, or the
     * engine summarising FOLDER in the same process.
     */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Latency of /health (p50, p99, max over N requests) while a project syncs, or while the engine summarises FOLDER.")
    static final class Serve implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER", description = "Images to summarise meanwhile, without a Label Studio.")
        Path folder;

        @Option(names = "--label-studio", description = "Label Studio's URL: measure while this project syncs.")
        String labelStudio;

        @Option(names = "--key", description = "A personal access token or legacy token for --label-studio.")
        String key;

        @Option(names = "--project", description = "The project to sync.")
        Long project;

        @Option(names = "--requests", defaultValue = "1000", description = "Requests to /health (default: ${DEFAULT-VALUE}).")
        int requests;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            boolean withSync = labelStudio != null;
            if (withSync && (key == null || project == null)) throw new CliFailure("--label-studio needs --key and --project");
            if (!withSync && (folder == null || !Files.isDirectory(folder))) throw new CliFailure("give a FOLDER of images, or --label-studio");
            Path data = Files.createTempDirectory("exemplar-bench");
            try (Store store = Store.open(data)) {
                Backend backend = Backend.of(Settings.fromEnvironment(), store);
                SyncService sync = backend.sync();
                int port = backend.server().start("127.0.0.1", 0);
                try {
                    HttpClient setupClient = HttpClient.newHttpClient();
                    CompletableFuture<?> work;
                    if (withSync) {
                        String body = new ObjectMapper().createObjectNode().put("project", project + ".0")
                                .put("schema", "<View><Image name=\"image\" value=\"$image\"/></View>")
                                .put("hostname", labelStudio).put("access_token", key).toString();
                        setupClient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/setup"))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        work = CompletableFuture.runAsync(() -> {
                            try {
                                while (sync.busy()) Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    } else {
                        var items = FolderSource.items(folder);
                        work = CompletableFuture.supplyAsync(() -> Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE));
                    }
                    CompletableFuture<?> engine = work;
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
                    engine.get();
                    Arrays.sort(ms);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("benchmark", "serve");
                    figures.put("requests", requests);
                    figures.put("load", withSync ? "sync of project " + project : "engine on " + folder);
                    figures.put("requests_during_load", duringEngine);
                    figures.put("health_p50_ms", round(ms[requests / 2]));
                    figures.put("health_p99_ms", round(ms[(int) Math.ceil(requests * 0.99) - 1]));
                    figures.put("health_max_ms", round(ms[requests - 1]));
                    if (withSync) {
                        var p = store.projects().get(project).orElseThrow();
                        figures.put("sync_phase", p.syncPhase());
                        figures.put("sync_error", p.lastError());
                        figures.put("tasks_ordered", store.orders().read(project).map(r -> r.order().size()).orElse(0));
                    }
                    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(figures));
                } finally {
                    backend.close();
                }
            }
            return 0;
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }

    /**
     * Algorithm 1 of the wavelet paper timed from the coefficient matrix to the clusters: up to N
     * images of FOLDER are decoded and reduced to 32 x 32 x 3 wavelet coefficients once (timed
     * apart), then {@link WaveletClustering#run} runs several times and the medians are reported.
     */
    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = "Seconds per phase of the wavelet clustering (constant coefficients, rank-revealing QR, k-means++) on N images of FOLDER, median of several runs.")
    static final class Analyze implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "Images to analyse (searched recursively).")
        Path folder;

        @Option(names = "--n", defaultValue = "5000", description = "Images to use (default: ${DEFAULT-VALUE}); when FOLDER has fewer, flipped and cropped variants make up the rest.")
        int n;

        @Option(names = "--clusters", defaultValue = "470", description = "k-means clusters n_c, 0 for automatic (default: ${DEFAULT-VALUE}).")
        int clusters;

        @Option(names = "--tau", defaultValue = "1e5", description = "Condition-number bound of the kept coefficients (default: ${DEFAULT-VALUE}).")
        double tau;

        @Option(names = "--repetitions", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--seed", defaultValue = "12345", description = "k-means++ seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(folder)) throw new CliFailure("not a folder: " + folder);
            if (n < 1 || repetitions < 1 || clusters < 0) throw new CliFailure("--n and --repetitions must be positive, --clusters at least 0");
            var out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            BenchImages.Set set = BenchImages.coefficients(FolderSource.items(folder), n);
            double featureSeconds = (System.nanoTime() - t0) / 1e9;
            float[][] x = set.rows();
            if (x.length == 0) throw new CliFailure("no readable image in " + folder);
            if (clusters > x.length) throw new CliFailure("--clusters " + clusters + " for " + x.length + " images");
            out.printf("images: %d (%d read, %d flipped or cropped variants), features %.2f s%n",
                    x.length, set.read(), set.variants(), featureSeconds);

            WaveletClustering.Options options = new WaveletClustering.Options(tau, clusters, seed);
            WaveletClustering.Result last = null;
            Map<String, double[]> phases = new LinkedHashMap<>();
            double[] totals = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long t = System.nanoTime();
                last = WaveletClustering.run(x, options);
                totals[r] = (System.nanoTime() - t) / 1e9;
                for (var e : last.seconds().entrySet()) phases.computeIfAbsent(e.getKey(), k -> new double[repetitions])[r] = e.getValue();
                out.printf("run %d: %.2f s %s%n", r + 1, totals[r], rounded(last.seconds()));
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("benchmark", "analyze");
            figures.put("n", last.n());
            figures.put("d", last.d());
            figures.put("non_constant", last.nonConstant());
            figures.put("m", last.m());
            figures.put("numerical_rank", last.numericalRank());
            figures.put("condition_before", last.conditionBefore());
            figures.put("condition_after", last.conditionAfter());
            figures.put("tau", tau);
            figures.put("n_c", last.clusters());
            figures.put("images_read", set.read());
            figures.put("image_variants", set.variants());
            figures.put("feature_seconds", round(featureSeconds));
            figures.put("repetitions", repetitions);
            Map<String, Double> medians = new LinkedHashMap<>();
            phases.forEach((phase, v) -> medians.put(phase, round(median(v))));
            figures.put("seconds", medians);
            figures.put("total_seconds", round(median(totals)));
            figures.put("total_seconds_runs", Arrays.stream(totals).map(Analyze::round).toArray());
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(figures));
            return 0;
        }

        private static Map<String, Double> rounded(Map<String, Double> seconds) {
            Map<String, Double> r = new LinkedHashMap<>();
            seconds.forEach((k, v) -> r.put(k, round(v)));
            return r;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
