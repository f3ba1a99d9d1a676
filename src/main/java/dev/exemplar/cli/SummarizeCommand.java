package dev.exemplar.cli;

import dev.exemplar.features.WaveletFeatures;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.report.Report;
import dev.exemplar.report.ReportTitle;
import dev.exemplar.report.ReportWriter;
import dev.exemplar.summary.Coverage;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.RunState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/** {@code exemplar summarize SOURCE}: the summary order, links and duplicates of a folder or a tasks export. */
@Command(name = "summarize", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Orders the images of SOURCE (a folder, or a Label Studio tasks export) by summary priority, "
                + "links the others to up to --max-delegates summary images and finds near-duplicates.")
final class SummarizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "a folder of images (searched recursively) "
            + "or a Label Studio tasks export (JSON)")
    Path source;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "result.json",
            description = "the result file (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--report", paramLabel = "DIR", description = "also write an HTML report to this folder")
    Path report;

    @CommandLine.Mixin
    OrderOptions order;

    @Option(names = "--embeddings", paramLabel = "FILE",
            description = "vectors by item name joined with the image features: .csv, .jsonl, or .npy with .names")
    Path embeddings;

    @CommandLine.Mixin
    EmbeddingsMatch embeddingsMatch;

    @CommandLine.Mixin
    SourceOptions sources;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();

        // everything that can make the run fail is checked before the long work starts
        order.check();
        CommandSupport.checkOutputs(out, report);
        Map<String, float[]> vectors = CommandSupport.embeddings(embeddings);
        CommandSupport.checkFeatures(order.features);
        SourceOptions.Opened src = sources.open(source, "SOURCE");
        embeddingsMatch.check(vectors, src.items(), stderr);

        ImageLoader loader = ImageLoader.defaults();
        ConsoleProgress progress = ConsoleProgress.forConsole(stderr);
        RunState state = new RunState();
        // SIGTERM or Ctrl-C: the JVM runs its shutdown hooks, and this one writes what the run has so far
        Thread onSignal = new Thread(() -> stderr.println("error: " + stop(state, "stopped by a signal (SIGTERM or Ctrl-C)")));
        Runtime.getRuntime().addShutdownHook(onSignal);
        Pipeline.Run run;
        try {
            run = Pipeline.run(src.items(), order.pipeline(vectors, loader), progress, state);
        } catch (OutOfMemoryError e) {
            // the features go with the frames that hold them, once the parallel workers still on them are done:
            // then there is room again to write the names
            ForkJoinPool.commonPool().awaitQuiescence(30, TimeUnit.SECONDS);
            long mb = Runtime.getRuntime().maxMemory() >> 20;
            throw new RunStopped(stop(state, "the " + mb + " MB heap was exhausted") + " (give Java more, e.g. EXEMPLAR_JAVA_OPTS=-Xmx"
                    + Math.max(512, 4 * mb) + "m)", e);
        } catch (RuntimeException e) {
            ForkJoinPool.commonPool().awaitQuiescence(30, TimeUnit.SECONDS);
            throw new RunStopped(stop(state, "the " + state.phase() + " phase failed: " + Main.describe(e)), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it writes the partial result
            }
            progress.finish();
        }

        Result result = run.result();
        src.checkSomeRead(result.order().size(), result.errors());
        CommandSupport.writeFile(out, result::write);
        Path reportIndex = CommandSupport.writeReport(report, dir -> ReportWriter.write(new Report(result, run.gains(),
                Coverage.of(run.neighbours(), result.order().size()), run.sizeReason(), CommandSupport.thumbnails(src.items(), loader),
                ReportTitle.summary(source, result.order().size())), dir));
        printSummary(stdout, run, vectors, reportIndex);
        return 0;
    }

    /**
     * Writes the partial result of a run that cannot finish and says, in one line, why and what was written: the
     * items read and their errors, and the order when it was computed.
     */
    private synchronized String stop(RunState state, String why) {
        String stopped = why + " during " + state.phase();
        String what = String.format(Locale.ROOT, "%,d items read, %,d with errors, %s", state.readCount(), state.errorCount(),
                state.ordered() ? "the order without summary or links" : "no order");
        try {
            state.partial(stopped).write(out);
            return "the run stopped: " + stopped + "; wrote a partial result to " + out + " (" + what + ")";
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return "the run stopped: " + stopped + "; no result was written (" + out + ": " + Main.describe(e) + ")";
        }
    }

    /** A run that stopped before its end; the partial result is written and the message says so. */
    static final class RunStopped extends RuntimeException {
        RunStopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void printSummary(PrintWriter o, Pipeline.Run run, Map<String, float[]> vectors, Path reportIndex) {
        Result r = run.result();
        CommandSupport.printItems(o, r.order().size(), r.errors(), "the result file");
        if (!vectors.isEmpty()) {
            // items without a vector are compared by their pictures only: worth knowing when names do not match
            long matched = r.order().stream().filter(vectors::containsKey).count();
            o.printf(Locale.ROOT, "Embeddings:       %,d vectors read, %,d of %,d items matched%n",
                    vectors.size(), matched, r.order().size());
        }
        WaveletFeatures.Features w = run.wavelet();
        if (w != null) {
            o.printf(Locale.ROOT, "Wavelet features: n=%,d, d=%d, kept m=%d columns (numerical rank %s%d, condition number %.3g)%n",
                    r.order().size(), WaveletFeatures.COEFFICIENTS, w.m(), w.rankCapped() ? ">= " : "", w.numericalRank(), w.condition());
        }
        o.printf(Locale.ROOT, "Summary size:     %,d (%s)%n", r.summarySize(), run.sizeReason());
        int inGroups = r.duplicates().stream().mapToInt(List::size).sum();
        o.printf(Locale.ROOT, "Duplicate groups: %,d (%,d items)%n", r.duplicates().size(), inGroups);
        o.printf(Locale.ROOT, "Constituents:     %,d linked to delegates%n", r.links().size());
        StringBuilder t = new StringBuilder();
        long totalMs = 0;
        for (Map.Entry<String, Long> e : run.millis().entrySet()) {
            t.append(t.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(seconds(e.getValue()));
            totalMs += e.getValue();
        }
        o.printf(Locale.ROOT, "Time:             %s (%s)%n", seconds(totalMs), t.length() == 0 ? "-" : t);
        o.printf("Result:           %s%n", out);
        if (reportIndex != null) o.printf("Report:           %s%n", reportIndex);
        o.flush();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
