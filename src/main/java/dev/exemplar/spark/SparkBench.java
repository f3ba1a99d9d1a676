package dev.exemplar.spark;

import dev.exemplar.json.Json;
import dev.exemplar.summary.GroupCoverage;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code ./exemplar bench spark}: the job on a raw float32 matrix, in local mode or on a standalone cluster of one-core
 * workers it starts on this machine, timed and scored as {@code ./exemplar bench order} scores the single machine on
 * the same rows (group coverage of the first G of the order, from the truth file beside the matrix). Prints progress,
 * then its figures as one JSON object on the last line.
 */
public final class SparkBench {
    static final String USAGE = "usage: exemplar bench spark --features FILE.f32 --dim D [--rows N] [--partitions P] [--summary-size auto]"
            + " [--master local[2]] [--workers N] [--executor-memory 1g]";

    /** What is benchmarked: {@code workers} 0 for the {@code master} given, else a cluster of that many started here. */
    record Options(Path features, int dim, Integer rows, int partitions, String summarySize, String master, int workers, String executorMemory) {
        static Options parse(String... args) {
            Path features = null;
            Integer rows = null;
            int dim = 0, partitions = 4, workers = 0;
            String size = "auto", master = "local[2]", memory = "1g";
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
                String value = args[++i];
                switch (flag) {
                    case "--features" -> features = Path.of(value);
                    case "--dim" -> dim = number(flag, value);
                    case "--rows" -> rows = number(flag, value);
                    case "--partitions" -> partitions = number(flag, value);
                    case "--summary-size" -> size = value;
                    case "--master" -> master = value;
                    case "--workers" -> workers = number(flag, value);
                    case "--executor-memory" -> memory = value;
                    default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
                }
            }
            if (features == null || dim == 0) throw new IllegalArgumentException("--features and --dim are required\n" + USAGE);
            if (!Files.isRegularFile(features)) throw new IllegalArgumentException("no such file: " + features);
            return new Options(features, dim, rows, partitions, size, master, workers, memory);
        }

        private static int number(String flag, String value) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(flag + " must be a whole number of at least 1, not '" + value + "'");
        }
    }

    private SparkBench() { }

    public static void main(String[] args) throws Exception {
        List<String> given = List.of(args);
        if (given.contains("--help") || given.contains("-h")) {
            System.out.println(USAGE + "\nRuns the Spark job on a raw float32 matrix (as gen_scale_features.py writes it), in local mode or"
                    + " on a cluster of --workers one-core workers started here, and prints its seconds and the group coverage of"
                    + " the first G items as one JSON object on the last line.");
            return;
        }
        Path dir = Files.createTempDirectory("exemplar-bench-spark");
        int status = 0;
        try {
            System.out.println(Json.MAPPER.writeValueAsString(run(Options.parse(args), dir, System.out)));
        } catch (IllegalArgumentException e) {
            System.err.println("exemplar bench spark: " + e.getMessage());
            status = 2;
        } finally {
            delete(dir);
        }
        if (status != 0) System.exit(status);
    }

    /** Runs the benchmark with its files in {@code dir}, saying what it does on {@code out}; the figures. */
    static Map<String, Object> run(Options o, Path dir, PrintStream out) throws IOException, InterruptedException {
        int available = rows(o.features(), o.dim());
        if (o.rows() != null && o.rows() > available) throw new IllegalArgumentException("--rows " + o.rows() + ": the file has " + available + " rows");
        int n = o.rows() != null ? o.rows() : available;
        Path matrix = n == available ? o.features() : firstRows(o.features(), 4L * o.dim() * n, dir.resolve("rows.f32"));
        Path truthFile = o.features().resolveSibling(o.features().getFileName() + ".truth.csv");
        GroupCoverage truth = Files.isRegularFile(truthFile) ? GroupCoverage.read(truthFile, n) : null;
        HeapPeak heap = new HeapPeak();

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("benchmark", "spark");
        f.put("n", n);
        f.put("d", o.dim());
        f.put("partitions", o.partitions());
        long t0 = System.nanoTime();
        StandaloneCluster cluster = null;
        try {
            SparkSession.Builder builder;
            if (o.workers() > 0) {
                out.printf("starting a standalone cluster of %d one-core workers on 127.0.0.1 ...%n", o.workers());
                cluster = StandaloneCluster.start(Files.createDirectories(dir.resolve("cluster")), o.workers(), o.executorMemory());
                f.put("cluster_start_s", round((System.nanoTime() - t0) / 1e9));
                out.printf("cluster up in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9, cluster.url());
                builder = cluster.driver("exemplar bench spark");
            } else {
                builder = SparkSession.builder().master(o.master()).appName("exemplar bench spark")
                        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1");
            }
            SparkSession spark = builder.getOrCreate();
            try {
                spark.sparkContext().setLogLevel("WARN");
                f.put("master", spark.sparkContext().master());
                f.put("workers", o.workers());
                Path output = dir.resolve("result");
                JobOptions job = JobOptions.parse("--input", matrix.toUri().toString(), "--dim", String.valueOf(o.dim()),
                        "--output", output.toUri().toString(), "--partitions", String.valueOf(o.partitions()), "--summary-size", o.summarySize());
                out.printf("ordering %,d rows of %d values on %s in %d partitions ...%n", n, o.dim(), spark.sparkContext().master(), o.partitions());
                long t1 = System.nanoTime();
                SummarizeJob.Written w = SummarizeJob.run(spark, job);
                double seconds = (System.nanoTime() - t1) / 1e9;
                out.printf("%,d items ordered in %.1f s, summary of %,d%n", w.items(), seconds, w.summarySize());
                f.put("seconds", round(seconds));
                f.put("summary_size", w.summarySize());
                f.put("step_seconds", w.seconds());
                if (truth != null) {
                    Result r = ResultParts.read(output);
                    f.put("groups", truth.groups());
                    f.put("coverage_at_G", Math.round(truth.atG(r.order().stream().mapToInt(Integer::parseInt).toArray()) * 1e4) / 1e4);
                }
            } finally {
                spark.stop();
            }
        } finally {
            if (cluster != null) cluster.close();
            heap.stop();
        }
        f.put("driver_peak_heap_mb", Math.round(heap.peak() / 1048576.0));
        f.put("driver_max_heap_mb", Math.round(Runtime.getRuntime().maxMemory() / 1048576.0));
        return f;
    }

    /** The whole rows the matrix holds. */
    static int rows(Path file, int dim) throws IOException {
        long bytes = Files.size(file), row = 4L * dim;
        if (bytes % row != 0) throw new IllegalArgumentException(file + " holds " + bytes + " bytes, not a whole number of rows of " + dim + " floats");
        return (int) (bytes / row);
    }

    /** The matrix's first rows as a file of their own, since the job reads a whole file. */
    private static Path firstRows(Path file, long bytes, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; ) at += in.transferTo(at, bytes - at, out);
        }
        return to;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The driver's largest heap in use, sampled every 5 ms: in local mode the executors' too, as they share its JVM. */
    static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sampler;

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
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
        }

        long peak() {
            return peak.get();
        }
    }
}
