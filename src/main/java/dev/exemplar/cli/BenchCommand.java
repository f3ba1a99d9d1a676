package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.exemplar.analysis.WaveletClustering;
import dev.exemplar.backend.ProjectSync;
import dev.exemplar.backend.SyncService;
import dev.exemplar.config.Settings;
import dev.exemplar.features.Kernels;
import dev.exemplar.features.Vectors;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.store.Store;
import dev.exemplar.summary.GroupCoverage;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.NeighbourGraph;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.SummarySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/** {@code exemplar bench ...}: measurements whose last line is one JSON object of figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; each prints its figures as one JSON object on its last line.",
        subcommands = {BenchCommand.Serve.class, BenchCommand.Analyze.class, BenchCommand.LabelStudio.class, BenchCommand.Ingest.class,
                BenchCommand.Ordering.class, BenchCommand.Summarize.class, QueueBench.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: serve, labelstudio, analyze");
    }

    /**
     * /health latency while the backend works: either a real sync of a Label Studio project
     * (--label-studio, --key, --project), started through /setup as Label Studio does, or the
     * engine summarising FOLDER in the same process.
     */
    /** A figure rounded to this many decimal places, for the JSON line. */
    static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Latency of /health (p50, p99, max over N requests) while a project syncs, or while the engine summarises FOLDER; "
                    + "with a sync, also of /predict and /webhook under a flood of both.")
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

        @Option(names = "--clients", defaultValue = "50", description = "With --label-studio: clients calling /predict one call after the other all along the sync (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--webhooks", defaultValue = "2000", description = "With --label-studio: webhook events posted during the sync (default: ${DEFAULT-VALUE}).")
        int webhooks;

        @Option(names = "--webhook-seconds", defaultValue = "20", description = "Over how many seconds the webhook events are posted, at an even rate (default: ${DEFAULT-VALUE}).")
        double webhookSeconds;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            boolean withSync = labelStudio != null;
            if (withSync && (key == null || project == null)) throw new CliFailure("--label-studio needs --key and --project");
            if (!withSync && (folder == null || !Files.isDirectory(folder))) throw new CliFailure("give a FOLDER of images, or --label-studio");
            if (clients < 0 || webhooks < 0 || !(webhookSeconds > 0)) throw new CliFailure("--clients and --webhooks must be at least 0, --webhook-seconds above 0");
            Path data = Files.createTempDirectory("exemplar-bench");
            try (Store store = Store.open(data)) {
                Backend backend = Backend.of(Settings.fromEnvironment(), store);
                SyncService sync = backend.sync();
                int port = backend.server().start("127.0.0.1", 0);
                try {
                    HttpClient setupClient = HttpClient.newHttpClient();
                    Ordering.HeapPeak heap = new Ordering.HeapPeak();
                    long started = System.nanoTime();
                    double[] syncSeconds = {0};
                    Map<String, Double> phaseSeconds = new ConcurrentHashMap<>();
                    CompletableFuture<?> work;
                    if (withSync) {
                        String body = Json.MAPPER.createObjectNode().put("project", project + ".0")
                                .put("schema", "<View><Image name=\"image\" value=\"$image\"/></View>")
                                .put("hostname", labelStudio).put("access_token", key).toString();
                        setupClient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/setup"))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        work = CompletableFuture.runAsync(() -> {
                            try {
                                String phase = null;
                                long since = started;
                                while (sync.busy()) {
                                    String now = store.projects().get(project).map(p -> p.syncPhase().text()).orElse(null);
                                    if (!Objects.equals(now, phase)) {
                                        long t = System.nanoTime();
                                        if (phase != null) phaseSeconds.merge(phase, (t - since) / 1e9, Double::sum);
                                        phase = now;
                                        since = t;
                                    }
                                    Thread.sleep(50);
                                }
                                long end = System.nanoTime();
                                if (phase != null) phaseSeconds.merge(phase, (end - since) / 1e9, Double::sum);
                                syncSeconds[0] = (end - started) / 1e9;
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    } else {
                        var items = FolderSource.items(folder);
                        work = CompletableFuture.supplyAsync(() -> Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE));
                    }
                    CompletableFuture<?> engine = work;
                    ServeLoad load = withSync ? new ServeLoad(port, project) : null;
                    CompletableFuture<?> loaded = CompletableFuture.completedFuture(null);
                    if (load != null) {
                        CompletableFuture<Void> posted = load.webhooks(webhooks, webhookSeconds);
                        // /predict all along the sync and the webhooks, so every webhook meets the whole load
                        loaded = CompletableFuture.allOf(posted, load.predictClients(clients, () -> engine.isDone() && posted.isDone()));
                    }
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
                    // all along the load, however long: a long sync's slow moments come late as often as early
                    double[] ms = new double[requests];
                    int sent = 0, duringEngine = 0;
                    while (sent < requests || !engine.isDone() || !loaded.isDone()) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                        if (sent == ms.length) ms = Arrays.copyOf(ms, 2 * ms.length);
                        ms[sent++] = (System.nanoTime() - t) / 1e6;
                        if (r.statusCode() != 200) throw new IllegalStateException("/health answered " + r.statusCode());
                        if (!engine.isDone()) duringEngine++;
                        Thread.sleep(5);
                    }
                    engine.get();
                    loaded.get();
                    heap.stop();
                    ms = Arrays.copyOf(ms, sent);
                    Arrays.sort(ms);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("benchmark", "serve");
                    figures.put("requests", sent);
                    figures.put("load", withSync ? "sync of project " + project : "engine on " + folder);
                    figures.put("requests_during_load", duringEngine);
                    figures.put("health_p50_ms", round(ms[sent / 2], 2));
                    figures.put("health_p99_ms", round(ms[(int) Math.ceil(sent * 0.99) - 1], 2));
                    figures.put("health_max_ms", round(ms[sent - 1], 2));
                    if (withSync) {
                        var p = store.projects().get(project).orElseThrow();
                        int ordered = store.orders().read(project).map(r -> r.order().size()).orElse(0);
                        figures.put("sync_phase", p.syncPhase());
                        figures.put("sync_error", p.lastError());
                        figures.put("tasks", p.progressTotal());
                        figures.put("tasks_ordered", ordered);
                        figures.put("sync_s", round(syncSeconds[0], 1));
                        figures.put("tasks_per_s", round(p.progressTotal() / syncSeconds[0], 1));
                        Map<String, Double> phases = new LinkedHashMap<>();
                        for (String name : List.of("tasks", "features", "order", "queue")) {
                            if (phaseSeconds.containsKey(name)) phases.put(name, round(phaseSeconds.get(name), 1));
                        }
                        figures.put("phase_s", phases);
                        figures.put("predict_clients", clients);
                        figures.put("webhook_seconds", webhookSeconds);
                        load.report(figures, ServeLoad.benchNumbers(store.events().payloads(ServeLoad.WEBHOOK_ACTION)));
                    }
                    figures.put("peak_heap_mb", Math.round(heap.peak() / 1048576.0));
                    figures.put("peak_live_heap_mb", Math.round(heap.live() / 1048576.0));
                    spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(figures));
                } finally {
                    backend.close();
                }
            }
            return 0;
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
            figures.put("feature_seconds", round(featureSeconds, 3));
            figures.put("repetitions", repetitions);
            Map<String, Double> medians = new LinkedHashMap<>();
            phases.forEach((phase, v) -> medians.put(phase, round(median(v), 3)));
            figures.put("seconds", medians);
            figures.put("total_seconds", round(median(totals), 3));
            figures.put("total_seconds_runs", Arrays.stream(totals).map(v -> round(v, 3)).toArray());
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(Json.MAPPER.writeValueAsString(figures));
            return 0;
        }

        private static Map<String, Double> rounded(Map<String, Double> seconds) {
            Map<String, Double> r = new LinkedHashMap<>();
            seconds.forEach((k, v) -> r.put(k, round(v, 3)));
            return r;
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    /**
     * Files to global descriptors (decode, thumbnail, descriptor, each phase's CPU time apart), against a bare full
     * ImageIO decode of the same files on the same threads in the same run.
     */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Images per second from files in memory to global descriptors, phase by phase, beside a bare ImageIO decode of the same files.")
    static final class Ingest implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "Images (searched recursively), read into memory before timing.")
        Path folder;

        @Option(names = "--threads", defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--limit", defaultValue = "2147483647", description = "The first N files by name (default: all).")
        int limit;

        @Option(names = "--warmup", defaultValue = "500", description = "Files run through both paths first, untimed, so the JIT has compiled them (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--decoder", defaultValue = "auto", description = "auto (libjpeg-turbo where installed) or imageio (default: ${DEFAULT-VALUE}).")
        String decoder;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(folder)) throw new CliFailure("not a folder: " + folder);
            if (threads < 1 || limit < 1 || warmup < 0) throw new CliFailure("--threads and --limit must be positive, --warmup at least 0");
            if (!decoder.equals("auto") && !decoder.equals("imageio")) throw new CliFailure("--decoder is auto or imageio");
            ImageLoader loader = ImageLoader.defaults();
            if (decoder.equals("imageio")) loader = loader.withImageIoOnly();
            Map<String, Object> figures = IngestBench.run(FolderSource.items(folder), limit, threads, warmup, loader);
            spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(figures));
            return 0;
        }
    }

    /**
     * Exemplar against a real Label Studio as a labelling team uses it, on a fresh project per run:
     * the first sync after the backend is connected through Label Studio, an import of held-back
     * images, labelling from the summary queue with each label's propagation latency, the propagated
     * labels scored against the truth, Exemplar's removal through the running backend, and the
     * backend's webhook acknowledgements all along. Task writes and other requests to Label Studio
     * are read from the backend's /metrics.
     */
    @Command(name = "labelstudio", mixinStandardHelpOptions = true,
            description = "Exemplar against a real Label Studio: the first sync, an import, labelling from the summary queue with the "
                    + "propagation latency, the propagated labels against the truth, removal, and webhook acknowledgements.")
    static final class LabelStudio implements Callable<Integer> {
        static final double[] CONFIDENCES = {0, 0.5, 0.8, 0.9};
        static final Duration SYNC_LIMIT = Duration.ofMinutes(30), PROPAGATION_LIMIT = Duration.ofMinutes(2);
        static final List<String> MEDIANS = List.of("first_sync_seconds", "first_sync_task_writes", "task_writes_per_second",
                "import_seconds", "import_task_writes", "propagation_latency_median_seconds", "propagation_latency_max_seconds",
                "webhook_ack_p50_ms", "webhook_ack_p99_ms", "webhook_ack_max_ms", "remove_seconds");

        @CommandLine.Mixin
        LabelledImages source;

        @Option(names = "--runs", defaultValue = "3", description = "Runs, each on a new project (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--hold-back", defaultValue = "20", description = "Images imported after the first sync (default: ${DEFAULT-VALUE}).")
        int holdBack;

        @Option(names = "--label-percent", defaultValue = "10", description = "Share of the project labelled, in queue order (default: ${DEFAULT-VALUE}).")
        double labelPercent;

        @Option(names = "--seed", defaultValue = "1", description = "Chooses the held-back images; the same in every run (default: ${DEFAULT-VALUE}).")
        long seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (runs < 1 || holdBack < 0 || !(labelPercent > 0 && labelPercent <= 100)) {
                throw new CliFailure("--runs must be positive, --hold-back at least 0 and --label-percent above 0 and at most 100");
            }
            Map<String, String> truth = source.truth();
            LabelStudioScenario ls = new LabelStudioScenario(source.url, source.key);
            List<Map<String, Object>> figures = new ArrayList<>();
            int count;
            try (LabelStudioScenario.ImageFolder folder = new LabelStudioScenario.ImageFolder(source.images)) {
                count = folder.names().size();
                source.checkLabelled(folder.names(), truth);
                if (holdBack >= count) throw new CliFailure("--hold-back " + holdBack + " of " + count + " images leaves none for the first sync");
                for (int r = 1; r <= runs; r++) figures.add(new Run(r, ls, folder, truth).measure());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("benchmark", "labelstudio");
            out.put("label_studio", source.url);
            out.put("images", count);
            out.put("hold_back", holdBack);
            out.put("label_percent", labelPercent);
            out.put("runs", runs);
            for (String k : MEDIANS) out.put(k, median(figures.stream().map(f -> (Number) f.get(k)).toList()));
            List<Map<String, Object>> table = new ArrayList<>();
            for (int i = 0; i < CONFIDENCES.length; i++) {
                int row = i;
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("confidence", CONFIDENCES[i]);
                for (String k : List.of("coverage", "accuracy")) {
                    cell.put(k, median(figures.stream().map(f -> (Number) table(f).get(row).get(k)).toList()));
                }
                table.add(cell);
            }
            out.put("propagated_labels", table);
            out.put("cores", Runtime.getRuntime().availableProcessors());
            out.put("run_figures", figures);
            spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(out));
            return 0;
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> table(Map<String, Object> run) {
            return (List<Map<String, Object>>) run.get("propagated_labels");
        }

        /** One project from creation to deletion, with its own backend and data folder. */
        private final class Run {
            private final int number;
            private final LabelStudioScenario ls;
            private final LabelStudioScenario.ImageFolder folder;
            private final Map<String, String> truth;
            private final Map<String, Object> f = new LinkedHashMap<>();
            private final String modelVersion = LabelStudioScenario.Exemplar.modelVersion();
            private LabelStudioScenario.Exemplar exemplar;
            private long project;
            private int tasks;

            Run(int number, LabelStudioScenario ls, LabelStudioScenario.ImageFolder folder, Map<String, String> truth) {
                this.number = number;
                this.ls = ls;
                this.folder = folder;
                this.truth = truth;
            }

            Map<String, Object> measure() throws IOException {
                f.put("run", number);
                List<String> files = new ArrayList<>(folder.names());
                Collections.shuffle(files, new Random(seed));
                tasks = files.size();
                Path data = Files.createTempDirectory("exemplar-bench-labelstudio");
                try (LabelStudioScenario.Exemplar backend = LabelStudioScenario.Exemplar.start(source.url, source.key, data)) {
                    exemplar = backend;
                    project = ls.createProject("Exemplar bench " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " run " + number, new TreeSet<>(truth.values()));
                    f.put("project", project);
                    WebhookPings pings = new WebhookPings(exemplar, project);
                    try {
                        importTasks(files.subList(holdBack, files.size()));
                        pings.start();
                        firstSync();
                        importHeldBack(files.subList(0, holdBack));
                        label();
                        score();
                        remove();
                    } finally {
                        pings.stop();
                        ls.deleteProject(project);
                        say("project " + project + " deleted");
                    }
                    pings.report(f);
                } finally {
                    LabelStudioScenario.deleteTree(data);
                }
                return f;
            }

            /** a. From connecting the backend through Label Studio to the sync's phase "done", features included. */
            private void firstSync() {
                say("connecting the backend to project " + project + " (" + (tasks - holdBack) + " tasks)");
                Map<String, Long> before = requests();
                long start = System.nanoTime();
                ls.connectBackend(project, exemplar.url(), "Exemplar");
                long[] queueFrom = {0}, shown = {start};
                JsonNode done = LabelStudioScenario.await("the first sync of project " + project, SYNC_LIMIT, Duration.ofMillis(100), () -> {
                    JsonNode s = exemplar.status(project);
                    if (s == null) return null;
                    if (!s.path("last_error").isNull()) throw new IllegalStateException("the sync failed: " + s.path("last_error").asText());
                    String phase = s.path("phase").asText();
                    if (phase.equals("queue") && queueFrom[0] == 0) queueFrom[0] = System.nanoTime();
                    if (System.nanoTime() - shown[0] > 5_000_000_000L) {
                        shown[0] = System.nanoTime();
                        say("first sync: " + phase + " " + s.path("progress").path("done").asText() + "/" + s.path("progress").path("total").asText());
                    }
                    return phase.equals("done") ? s : null;
                });
                long end = System.nanoTime();
                double seconds = (end - start) / 1e9;
                Double queueSeconds = queueFrom[0] == 0 ? null : (end - queueFrom[0]) / 1e9;
                Map<String, Long> grown = LabelStudioScenario.growth(before, requests());
                Long writes = grown == null ? null : grown.getOrDefault("PATCH tasks", 0L);
                f.put("tasks_first_sync", tasks - holdBack);
                f.put("summary_size", done.path("summary_size").asInt());
                f.put("first_sync_seconds", round(seconds, 3));
                f.put("queue_phase_seconds", queueSeconds == null ? null : round(queueSeconds, 3));
                f.put("first_sync_task_writes", writes);
                f.put("task_writes_per_second", writes == null ? null : round(writes / (queueSeconds != null ? queueSeconds : seconds), 3));
                f.put("task_writes_per_second_over", queueSeconds != null ? "queue phase" : "whole sync");
                f.put("first_sync_labelstudio_requests", grown);
                say("first sync done in " + round(seconds, 3) + " s; task writes " + writes + ", queue phase " + f.get("queue_phase_seconds") + " s");
            }

            /** Last, Exemplar taken out of the project through the running backend, as `labelstudio remove` does. */
            private void remove() {
                say("removing Exemplar from project " + project);
                long start = System.nanoTime();
                JsonNode removed = exemplar.remove(project);
                double seconds = (System.nanoTime() - start) / 1e9;
                f.put("remove_seconds", round(seconds, 3));
                f.put("removed", removed);
                say("removed in " + round(seconds, 3) + " s: " + removed);
            }

            /** b. From the import of the held-back images until every one of them has its rank in Label Studio. */
            private void importHeldBack(List<String> held) {
                if (held.isEmpty()) return;
                awaitSynced();
                say("importing " + held.size() + " held-back tasks");
                Map<String, Long> before = requests();
                long start = System.nanoTime();
                List<Long> ids = importTasks(held);
                LabelStudioScenario.await("ranks on the imported tasks", SYNC_LIMIT, Duration.ofMillis(250),
                        () -> ls.tasks(project, ids).stream().allMatch(t -> t.data().hasNonNull(ProjectSync.RANK)) ? Boolean.TRUE : null);
                double seconds = (System.nanoTime() - start) / 1e9;
                awaitSynced(); // the sync may write other tasks' new ranks after the last imported one
                Map<String, Long> grown = LabelStudioScenario.growth(before, requests());
                f.put("import_seconds", round(seconds, 3));
                f.put("import_task_writes", grown == null ? null : grown.getOrDefault("PATCH tasks", 0L));
                f.put("import_labelstudio_requests", grown);
                say("imported tasks ranked in " + round(seconds, 3) + " s; task writes " + f.get("import_task_writes"));
            }

            /**
             * c. Labels delegates from the summary queue with their true label; after each, the time until
             * every constituent linked to it holds Exemplar's prediction in Label Studio (from the moment the
             * annotation is sent), with the backend reporting nothing left to write.
             */
            private void label() {
                JsonNode result = exemplar.result(project);
                Map<Long, Set<Long>> linked = new HashMap<>();
                result.path("links").fields().forEachRemaining(e -> e.getValue().forEach(l ->
                        linked.computeIfAbsent(l.path("delegate").asLong(), d -> new TreeSet<>()).add(Long.parseLong(e.getKey()))));
                long view = ls.client().views(project).stream().filter(v -> ProjectSync.SUMMARY_VIEW.equals(v.title())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("project " + project + " has no view " + ProjectSync.SUMMARY_VIEW)).id();
                int wanted = (int) Math.ceil(tasks * labelPercent / 100);
                say("labelling " + wanted + " tasks from " + ProjectSync.SUMMARY_VIEW);
                Map<String, Long> before = requests();
                List<Double> latencies = new ArrayList<>();
                int labelled = 0, constituentsServed = 0, timeouts = 0;
                while (labelled < wanted) {
                    Optional<Task> next = ls.nextTask(project, view);
                    if (next.isEmpty()) {
                        say("the summary queue ran out after " + labelled + " labels");
                        break;
                    }
                    Task t = next.get();
                    if (!"delegate".equals(t.data().path(ProjectSync.ROLE).asText())) constituentsServed++;
                    long start = System.nanoTime();
                    ls.annotate(t.id(), truth.get(t.data().path("source").asText()));
                    labelled++;
                    Set<Long> reached = linked.getOrDefault(t.id(), Set.of());
                    try {
                        awaitPropagated(labelled, reached);
                        if (!reached.isEmpty()) latencies.add((System.nanoTime() - start) / 1e9);
                    } catch (LabelStudioScenario.TimedOut e) {
                        timeouts++;
                        say("label " + labelled + ": " + e.getMessage());
                    }
                    if (labelled % 10 == 0) say(labelled + "/" + wanted + " labelled");
                }
                double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                f.put("labelled", labelled);
                f.put("constituents_served", constituentsServed);
                f.put("propagations_measured", l.length);
                f.put("propagation_timeouts", timeouts);
                f.put("propagation_latency_median_seconds", l.length == 0 ? null : round(percentile(l, 0.5), 3));
                f.put("propagation_latency_max_seconds", l.length == 0 ? null : round(l[l.length - 1], 3));
                f.put("labelling_labelstudio_requests", LabelStudioScenario.growth(before, requests()));
                say("labelled " + labelled + "; propagation median " + f.get("propagation_latency_median_seconds") + " s, max "
                        + f.get("propagation_latency_max_seconds") + " s");
            }

            private void awaitPropagated(int labelled, Set<Long> reached) {
                LabelStudioScenario.await("the propagation of label " + labelled, PROPAGATION_LIMIT, Duration.ofMillis(100), () -> {
                    JsonNode p = exemplar.status(project).path("propagation");
                    if (p.path("labelled_tasks").asInt() < labelled || p.path("to_write").asInt() > 0) return null;
                    if (reached.isEmpty()) return Boolean.TRUE;
                    Map<Long, List<Prediction>> held = ls.client().predictions(project, reached);
                    return reached.stream().allMatch(c -> held.getOrDefault(c, List.of()).stream()
                            .anyMatch(x -> modelVersion.equals(x.modelVersion()))) ? Boolean.TRUE : null;
                });
            }

            /**
             * d. Exemplar's predictions on the constituents no person labelled, against the truth: per
             * confidence threshold, the share of them with a prediction at least that confident, and the
             * share of those that are right.
             */
            private void score() {
                awaitSettled();
                List<Task> all = ls.client().tasks(project).toList();
                Map<Long, List<Prediction>> predictions = ls.client().predictions(project, all.stream().map(Task::id).toList());
                int constituents = 0;
                int[] covered = new int[CONFIDENCES.length], right = new int[CONFIDENCES.length];
                for (Task t : all) {
                    if (!"constituent".equals(t.data().path(ProjectSync.ROLE).asText()) || t.totalAnnotations() > 0) continue;
                    constituents++;
                    Optional<Prediction> p = predictions.getOrDefault(t.id(), List.of()).stream()
                            .filter(x -> modelVersion.equals(x.modelVersion())).findFirst();
                    if (p.isEmpty()) continue;
                    boolean ok = truth.get(t.data().path("source").asText()).equals(LabelStudioScenario.choiceOf(p.get().result()));
                    double score = p.get().score() == null ? 0 : p.get().score();
                    for (int i = 0; i < CONFIDENCES.length; i++) {
                        if (score < CONFIDENCES[i]) continue;
                        covered[i]++;
                        if (ok) right[i]++;
                    }
                }
                List<Map<String, Object>> table = new ArrayList<>();
                for (int i = 0; i < CONFIDENCES.length; i++) {
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("confidence", CONFIDENCES[i]);
                    cell.put("coverage", constituents == 0 ? null : round(covered[i] / (double) constituents, 3));
                    cell.put("accuracy", covered[i] == 0 ? null : round(right[i] / (double) covered[i], 3));
                    cell.put("predictions", covered[i]);
                    table.add(cell);
                }
                f.put("constituents", constituents);
                f.put("propagated_labels", table);
                say("scored " + constituents + " constituents: " + table);
            }

            private List<Long> importTasks(List<String> files) {
                List<ObjectNode> data = new ArrayList<>();
                for (String file : files) data.add(folder.task(file));
                return ls.importTasks(project, data);
            }

            /** Until the backend's sync is done and no other is due. */
            private void awaitSynced() {
                LabelStudioScenario.await("the sync of project " + project, SYNC_LIMIT, Duration.ofMillis(250), () -> {
                    JsonNode s = exemplar.status(project);
                    return s != null && s.path("phase").asText().equals("done") && !exemplar.syncing() ? s : null;
                });
            }

            private void awaitSettled() {
                exemplar.awaitWritten(project, PROPAGATION_LIMIT);
            }

            private Map<String, Long> requests() {
                return LabelStudioScenario.labelStudioRequests(exemplar.metrics());
            }

            private void say(String line) {
                spec.commandLine().getErr().println("run " + number + ": " + line);
            }
        }

        /**
         * e. A harmless webhook posted to the backend every 100 ms, as Label Studio posts them, each
         * acknowledgement timed from the client's side.
         */
        static final class WebhookPings {
            private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
            private final AtomicInteger failures = new AtomicInteger();
            private final Thread thread;
            private volatile boolean running = true;

            WebhookPings(LabelStudioScenario.Exemplar exemplar, long project) {
                ObjectNode event = Json.MAPPER.createObjectNode().put("action", "PROJECT_UPDATED");
                event.putObject("project").put("id", project);
                thread = new Thread(() -> {
                    for (long tick = System.nanoTime(); running; tick += 100_000_000L) {
                        try {
                            millis.add(exemplar.webhook(event));
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                        long wait = tick + 100_000_000L - System.nanoTime();
                        if (wait < 0) tick = System.nanoTime(); // late: the next one goes now, not a burst to catch up
                        else LockSupport.parkNanos(wait);
                    }
                }, "webhook-pings");
                thread.setDaemon(true);
            }

            void start() {
                thread.start();
            }

            void stop() {
                running = false;
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            void report(Map<String, Object> f) {
                double[] ms;
                synchronized (millis) {
                    ms = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                }
                f.put("webhooks", ms.length);
                f.put("webhook_failures", failures.get());
                f.put("webhook_ack_p50_ms", ms.length == 0 ? null : round(percentile(ms, 0.5), 3));
                f.put("webhook_ack_p99_ms", ms.length == 0 ? null : round(percentile(ms, 0.99), 3));
                f.put("webhook_ack_max_ms", ms.length == 0 ? null : round(ms[ms.length - 1], 3));
            }
        }

        /** The nearest-rank percentile of sorted values. */
        static double percentile(double[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
        }

        /** The median of the values present; null when none is. */
        static Double median(List<Number> values) {
            double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Number::doubleValue).sorted().toArray();
            if (v.length == 0) return null;
            return round(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2, 3);
        }
    }

    /**
     * The whole of {@code summarize} on a folder with its default settings, in this process: seconds per phase (features
     * include reading the files), images per second and the peak heap. Nothing is written but the figures.
     */
    @Command(name = "summarize", mixinStandardHelpOptions = true,
            description = "Seconds per phase of summarize on a folder, images per second and the peak heap.")
    static final class Summarize implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "Images (searched recursively).")
        Path folder;

        @Option(names = "--threads", description = "Threads for the engine (default: the processors).")
        Integer threads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(folder)) throw new CliFailure("not a folder: " + folder);
            if (threads != null && threads < 1) throw new CliFailure("--threads must be positive");
            var out = spec.commandLine().getOut();
            List<Item> items = FolderSource.items(folder);
            Ordering.HeapPeak heap = new Ordering.HeapPeak();
            ForkJoinPool pool = new ForkJoinPool(
                    threads != null ? threads : Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            Pipeline.Run run;
            try {
                run = pool.submit(() -> Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE)).get();
            } finally {
                pool.shutdown();
                heap.stop();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("benchmark", "summarize");
            f.put("images", items.size());
            f.put("errors", run.result().errors().size());
            f.put("threads", pool.getParallelism());
            f.put("seconds", round(seconds, 3));
            f.put("images_per_s", Math.round(items.size() / seconds));
            Map<String, Double> phases = new LinkedHashMap<>();
            run.millis().forEach((phase, ms) -> phases.put(phase, round(ms / 1000.0, 3)));
            f.put("phase_s", phases);
            f.put("verified_pairs", run.verifiedPairs());
            f.put("summary_size", run.result().summarySize());
            f.put("duplicate_groups", run.result().duplicates().size());
            f.put("peak_heap_mb", Math.round(heap.peak() / 1048576.0));
            f.put("peak_live_heap_mb", Math.round(heap.live() / 1048576.0));
            f.put("max_heap_mb", Math.round(Runtime.getRuntime().maxMemory() / 1048576.0));
            out.println(Json.MAPPER.writeValueAsString(f));
            return 0;
        }
    }

    /**
     * The engine's neighbour search, order and links timed on a feature matrix: a raw
     * little-endian float32 file of rows of d values (no header), read through a memory map into
     * one array per row. The steps are {@link Pipeline#neighbours}, {@link Pipeline#order} and
     * {@link Pipeline#links}, the code {@code summarize} runs, on as many threads as asked. With a
     * truth file (file,group,... where file is the row index, as the scale generator writes it),
     * the group coverage of the first G items of the order, G the number of groups.
     */
    @Command(name = "order", mixinStandardHelpOptions = true,
            description = "Seconds of the neighbour graph, the order and the links on a float32 feature matrix, the peak heap, "
                    + "and with a truth file the group coverage of the first G items.")
    static final class Ordering implements Callable<Integer> {
        @Option(names = "--features", required = true, paramLabel = "FILE", description = "Raw little-endian float32 rows, row-major.")
        Path features;

        @Option(names = "--dim", required = true, description = "Values per row.")
        int dim;

        @Option(names = "--rows", description = "Use only the first N rows (default: all).")
        Integer rows;

        @Option(names = "--summary-size", defaultValue = "10%", description = "Delegates for the links: N or P%% (default: ${DEFAULT-VALUE}).")
        String summarySize;

        @Option(names = "--max-delegates", defaultValue = "3", description = "Delegates per constituent (default: ${DEFAULT-VALUE}).")
        int maxDelegates;

        @Option(names = "--threads", description = "Threads for the engine (default: the processors).")
        Integer threads;

        @Option(names = "--truth", paramLabel = "FILE", description = "file,group,... per row (default: FILE.truth.csv beside the features, if there).")
        Path truth;

        @Option(names = "--exact", description = "Exact (brute-force) neighbours, for comparing the quality of the approximate search.")
        boolean exact;

        @Option(names = "--repeat", defaultValue = "1", description = "Times to run the steps in this process; medians are reported (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--recall", defaultValue = "0", description = "Rows on which to check the graph's 10 nearest against brute force (default: ${DEFAULT-VALUE}).")
        int recall;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (dim < 1 || repeat < 1 || maxDelegates < 1) throw new CliFailure("--dim, --repeat and --max-delegates must be positive");
            if (!Files.isRegularFile(features)) throw new CliFailure("no such file: " + features);
            var out = spec.commandLine().getOut();
            HeapPeak heap = new HeapPeak();
            long t0 = System.nanoTime();
            float[][] x = load(features, dim, rows);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            int n = x.length;
            out.printf("loaded %d x %d in %.2f s%n", n, dim, loadSeconds);
            Path truthFile = truth != null ? truth : features.resolveSibling(features.getFileName() + ".truth.csv");
            if (truth != null && !Files.isRegularFile(truth)) throw new CliFailure("no such truth file: " + truth);
            GroupCoverage group = Files.isRegularFile(truthFile) ? truth(truthFile, n) : null;

            int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            ForkJoinPool pool = new ForkJoinPool(parallelism);
            double[] neighbours = new double[repeat], order = new double[repeat], links = new double[repeat];
            Pipeline.Order last = null;
            NeighbourGraph graph = null;
            int size = 0;
            try {
                for (int r = 0; r < repeat; r++) {
                    long a = System.nanoTime();
                    graph = pool.submit(() -> exact ? NeighbourGraph.exact(x, Pipeline.NEIGHBOURS) : Pipeline.neighbours(x)).get();
                    long b = System.nanoTime();
                    NeighbourGraph g = graph;
                    last = pool.submit(() -> Pipeline.order(g)).get();
                    long c = System.nanoTime();
                    Pipeline.Order o = last;
                    size = SummarySize.parse(summarySize, n, o.gains()).size();
                    int k = size;
                    Pipeline.LinkTable table = pool.submit(() -> Pipeline.links(x, o.order(), k, maxDelegates, g, Progress.NONE)).get();
                    long e = System.nanoTime();
                    if (n > k && table.delegates()[o.order()[n - 1]] == null) throw new IllegalStateException("a constituent has no links");
                    neighbours[r] = (b - a) / 1e9;
                    order[r] = (c - b) / 1e9;
                    links[r] = (e - c) / 1e9;
                    out.printf("run %d: neighbours %.3f s, order %.3f s, links %.3f s%n", r + 1, neighbours[r], order[r], links[r]);
                }
            } finally {
                pool.shutdown();
            }
            heap.stop();

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("benchmark", "order");
            figures.put("n", n);
            figures.put("d", dim);
            figures.put("threads", parallelism);
            figures.put("search", exact ? "exact" : "engine");
            figures.put("vector_api", Pipeline.vectorKernels());
            figures.put("repeat", repeat);
            figures.put("load_s", round(loadSeconds, 4));
            figures.put("neighbors_s", round(median(neighbours), 4));
            figures.put("order_s", round(median(order), 4));
            figures.put("links_s", round(median(links), 4));
            if (repeat > 1) {
                figures.put("neighbors_s_runs", Arrays.stream(neighbours).map(v -> round(v, 4)).toArray());
                figures.put("order_s_runs", Arrays.stream(order).map(v -> round(v, 4)).toArray());
                figures.put("links_s_runs", Arrays.stream(links).map(v -> round(v, 4)).toArray());
            }
            figures.put("summary_size", size);
            figures.put("peak_heap_mb", Math.round(heap.peak() / 1048576.0));
            figures.put("peak_live_heap_mb", Math.round(heap.live() / 1048576.0));
            figures.put("max_heap_mb", Math.round(Runtime.getRuntime().maxMemory() / 1048576.0));
            if (recall > 0) figures.put("recall_at_10", round(recall(x, graph, Math.min(recall, n)), 4));
            if (group != null) {
                figures.put("groups", group.groups());
                figures.put("coverage_at_G", round(group.atG(last.order()), 4));
            }
            out.println(Json.MAPPER.writeValueAsString(figures));
            return 0;
        }

        /** The first rows of the matrix, each scaled to unit length as the engine expects of features. */
        static float[][] load(Path file, int d, Integer limit) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long bytes = ch.size(), rowBytes = 4L * d;
                if (bytes % rowBytes != 0) throw new CliFailure(file + " holds " + bytes + " bytes, not a whole number of rows of " + d + " floats");
                long available = bytes / rowBytes;
                if (limit != null && (limit < 1 || limit > available)) throw new CliFailure("--rows " + limit + ": the file has " + available + " rows");
                int n = (int) Math.min(available, limit != null ? limit : Integer.MAX_VALUE - 8);
                float[][] x = new float[n][];
                int perMap = (int) Math.max(1, (1L << 30) / rowBytes);
                for (int from = 0; from < n; from += perMap) {
                    int to = Math.min(n, from + perMap);
                    FloatBuffer f = ch.map(FileChannel.MapMode.READ_ONLY, from * rowBytes, (to - from) * rowBytes)
                            .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    for (int i = from; i < to; i++) {
                        float[] row = new float[d];
                        f.get(row);
                        x[i] = Vectors.unit(row);
                    }
                }
                return x;
            }
        }

        /** Each row's group, from a CSV whose first two columns are the row index and its group. */
        static GroupCoverage truth(Path truth, int n) throws IOException {
            try {
                return GroupCoverage.read(truth, n);
            } catch (IOException e) {
                throw new CliFailure(e.getMessage());
            }
        }

        /** Share of the true 10 nearest (brute force) of a seeded sample of rows that the graph holds. */
        static double recall(float[][] x, NeighbourGraph g, int sample) {
            Random rnd = new Random(7);
            int hits = 0, total = 0;
            for (int s = 0; s < sample; s++) {
                int i = rnd.nextInt(x.length);
                float[] best = new float[10];
                int[] ids = new int[10];
                Arrays.fill(best, Float.NEGATIVE_INFINITY);
                for (int j = 0; j < x.length; j++) {
                    if (j == i) continue;
                    float v = Kernels.dot(x[i], x[j]);
                    if (v > best[9]) {
                        int p = 9;
                        while (p > 0 && best[p - 1] < v) { best[p] = best[p - 1]; ids[p] = ids[p - 1]; p--; }
                        best[p] = v;
                        ids[p] = j;
                    }
                }
                Set<Integer> found = new TreeSet<>();
                int[] nb = g.neighbours(i);
                for (int t = 0; t < Math.min(10, nb.length); t++) found.add(nb[t]);
                for (int t = 0; t < Math.min(10, x.length - 1); t++) {
                    total++;
                    if (found.contains(ids[t])) hits++;
                }
            }
            return total == 0 ? 1 : (double) hits / total;
        }

        /**
         * The largest heap in use: sampled every 5 ms, and read just before every collection from
         * the collectors' own accounts, where the peaks are; and the largest left after a collection.
         */
        static final class HeapPeak {
            private final AtomicLong peak = new AtomicLong();
            private final AtomicLong live = new AtomicLong();
            private final Thread sampler;
            private final List<Runnable> unregister = new ArrayList<>();
            private volatile boolean running = true;

            HeapPeak() {
                var memory = ManagementFactory.getMemoryMXBean();
                sampler = new Thread(() -> {
                    while (running) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        LockSupport.parkNanos(5_000_000L);
                    }
                }, "heap-peak");
                sampler.setDaemon(true);
                sampler.start();
                for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    if (!(gc instanceof NotificationEmitter emitter)) continue;
                    NotificationListener listener = (notification, handback) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long before = 0, after = 0;
                        for (var e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                            if (isHeap(e.getKey())) before += e.getValue().getUsed();
                        }
                        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (isHeap(e.getKey())) after += e.getValue().getUsed();
                        }
                        long b = before, a = after;
                        peak.accumulateAndGet(b, Math::max);
                        live.accumulateAndGet(a, Math::max);
                    };
                    emitter.addNotificationListener(listener, null, null);
                    unregister.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (ListenerNotFoundException ignored) {
                            // already gone
                        }
                    });
                }
            }

            private static boolean isHeap(String pool) {
                for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getName().equals(pool)) return p.getType() == MemoryType.HEAP;
                }
                return false;
            }

            void stop() {
                running = false;
                unregister.forEach(Runnable::run);
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            }

            long peak() {
                return peak.get();
            }

            /** The largest heap left in use after a collection: what was live, without the garbage a collection had yet to free. */
            long live() {
                return live.get();
            }
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
