package dev.exemplar.cli;

import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.propagation.Simulation;
import dev.exemplar.report.SimulationReport;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code exemplar simulate SOURCE --labels FILE}: how much of a project people must label by hand, measured on
 * a sample whose labels are known, before trusting propagation with the rest.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Labels the summary queue of SOURCE from its start with the labels of --labels, spreads them over "
                + "the neighbour graph to every other item (delegates too), and says per share labelled how many "
                + "propagated labels are right at each confidence, the confidence to trust and the share people must "
                + "still label (the effort).")
final class SimulateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "a folder of images (searched recursively) "
            + "or a Label Studio tasks export (JSON)")
    Path source;

    @Option(names = "--labels", required = true, paramLabel = "FILE.csv",
            description = "the true labels: rows of file,label (the file as named in SOURCE, or its file name)")
    Path labels;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "take the label from this column, which the file's header row names (default: the second of two "
                    + "columns, or the one named label or else class)")
    String labelColumn;

    @Option(names = "--percent", paramLabel = "P", split = ",", defaultValue = "5,10,20,30",
            description = "shares of the queue labelled, in percent (default: ${DEFAULT-VALUE})")
    int[] percents;

    @Option(names = "--target-accuracy", paramLabel = "A", defaultValue = "0.95",
            description = "how often trusted propagated labels must be right (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--queue", paramLabel = "Q", defaultValue = "summary",
            description = "how the queue is worked: summary (the summary order) or adaptive (after each 1% labelled, the items "
                    + "whose labels would settle the most that is uncertain come first; default: ${DEFAULT-VALUE})")
    QueueOrder queue;

    @CommandLine.Mixin
    OrderOptions order;

    @Option(names = "--report", paramLabel = "DIR", description = "also write an HTML page plotting accuracy and coverage against confidence")
    Path report;

    @CommandLine.Mixin
    SourceOptions sources;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        for (int p : percents) {
            if (p < 1 || p > 99) throw new CliFailure("--percent takes shares from 1 to 99, not " + p);
        }
        if (!(target > 0 && target <= 1)) throw new CliFailure("--target-accuracy must be above 0 and at most 1, not " + target);
        order.check();
        CommandSupport.checkFeatures(order.features);
        if (report != null) OutputChecks.usableFolder(report, "--report");
        Labels.FromFile truth;
        try {
            truth = Labels.fromFile(labels, labelColumn);
        } catch (IOException e) {
            throw new CliFailure("cannot read --labels " + labels + ": " + Main.describe(e), e);
        }
        SourceOptions.Opened src = sources.open(source, "SOURCE");

        ImageLoader loader = ImageLoader.defaults();
        ConsoleProgress progress = ConsoleProgress.forConsole(stderr);
        Pipeline.Run run;
        try {
            run = Pipeline.run(src.items(), order.pipeline(Map.of(), loader), progress);
        } catch (OutOfMemoryError e) {
            throw CommandSupport.outOfMemory(src.items().size(), e);
        } finally {
            progress.finish();
        }
        src.checkSomeRead(run.result().order().size(), run.result().errors());
        long known = run.result().order().stream().map(truth.labelOf()).filter(l -> l != null && !l.isEmpty()).count();
        if (known == 0) {
            throw new CliFailure("no item of SOURCE has a label in " + labels + ": its rows must name the files as SOURCE does "
                    + "(e.g. " + run.result().order().get(0) + ") or by their file names"
                    + (truth.column() == null ? ", with the label in the second column (or name it with --label-column)" : ""));
        }
        List<Simulation.Outcome> outcomes = Simulation.run(run.result(), run.candidates(), run.neighbours(), truth.labelOf(), percents, target, queue);
        Path page = CommandSupport.writeReport(report, dir -> SimulationReport.write("Exemplar: simulated labelling of " + src.label(),
                outcomes, target, dir));
        print(stdout, run.result(), known, truth, outcomes, page);
        stdout.println(Json.MAPPER.writeValueAsString(figures(outcomes)));
        stdout.flush();
        return 0;
    }

    private void print(PrintWriter o, Result result, long known, Labels.FromFile truth, List<Simulation.Outcome> outcomes, Path page) {
        int items = result.order().size();
        CommandSupport.printItems(o, items, result.errors(), "the result file of ./exemplar summarize");
        o.printf(Locale.ROOT, "Labels:           %,d of %,d items have one in %s%n", known, items, truth.describe(labels));
        // per share labelled: of the items not labelled, the share given a label at or above each confidence, and how many right
        o.printf(Locale.ROOT, "%n%-12s %-14s %-14s %-14s %-14s %-20s %s%n", "labelled", "conf >= 0.5", "conf >= 0.7",
                "conf >= 0.8", "conf >= 0.9", "trusted from", "effort");
        o.printf(Locale.ROOT, "%-12s %-14s %-14s %-14s %-14s %-20s%n", "", "cover  right", "cover  right", "cover  right",
                "cover  right", "conf   right");
        for (Simulation.Outcome out : outcomes) {
            StringBuilder at = new StringBuilder();
            for (double c : new double[] {0.5, 0.7, 0.8, 0.9}) {
                Simulation.Point p = atLeast(out, c);
                at.append(p == null ? String.format("%-14s ", "-") : String.format(Locale.ROOT, "%.3f  %.3f  ", p.coverage(), p.accuracy()));
            }
            String trusted = Double.isNaN(out.recommendedConfidence()) ? "none"
                    : String.format(Locale.ROOT, "%.3f  %.3f", out.recommendedConfidence(), out.accuracy());
            o.printf(Locale.ROOT, "%-12s %s%-20s %.3f%s%n", String.format(Locale.ROOT, "%d%% (%,d)", out.percent(), out.labelled()),
                    at, trusted, out.effort(), out.calibrated() ? "" : "  (confidence not calibrated here)");
        }
        Simulation.Outcome best = Simulation.best(outcomes);
        o.printf(Locale.ROOT, "%nLeast effort:     label %d%% of the queue, trust propagated labels from confidence %s: "
                        + "people label %.1f%% of the project%n", best.percent(),
                Double.isNaN(best.recommendedConfidence())
                        ? String.format(Locale.ROOT, "- (at no confidence were %d or more propagated labels %.0f%% right)",
                        Simulation.MIN_LABELS_TO_JUDGE, 100 * target)
                        : String.format(Locale.ROOT, "%.3f", best.recommendedConfidence()), 100 * best.effort());
        o.printf(Locale.ROOT, "Trusted there:    %,d delegates and %,d constituents of the %,d items people did not label%n",
                best.trustedDelegates(), best.trustedConstituents(), best.items() - best.labelled());
        if (page != null) o.printf("Report:           %s%n", page);
    }

    /** The curve's point at the lowest confidence of at least c. */
    private static Simulation.Point atLeast(Simulation.Outcome o, double c) {
        for (Simulation.Point p : o.curve()) if (p.confidence() >= c - 1e-9) return p;
        return null;
    }

    private Map<String, Object> figures(List<Simulation.Outcome> outcomes) {
        Simulation.Outcome best = Simulation.best(outcomes);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("effort", round(best.effort()));
        f.put("percent_labelled", best.percent());
        f.put("recommended_confidence", nan(best.recommendedConfidence()));
        f.put("target_accuracy", target);
        f.put("queue", queue.name().toLowerCase(Locale.ROOT));
        List<Map<String, Object>> per = new ArrayList<>();
        for (Simulation.Outcome o : outcomes) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("percent", o.percent());
            p.put("items", o.items());
            p.put("labelled", o.labelled());
            p.put("effort", round(o.effort()));
            p.put("recommended_confidence", nan(o.recommendedConfidence()));
            p.put("coverage", round(o.coverage()));
            p.put("trusted_delegates", o.trustedDelegates());
            p.put("trusted_constituents", o.trustedConstituents());
            p.put("accuracy", nan(o.accuracy()));
            p.put("calibrated", o.calibrated());
            List<Map<String, Object>> curve = new ArrayList<>();
            for (Simulation.Point c : o.curve()) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("confidence", round(c.confidence()));
                point.put("labels", c.labels());
                point.put("coverage", round(c.coverage()));
                point.put("accuracy", round(c.accuracy()));
                curve.add(point);
            }
            p.put("by_confidence", curve);
            per.add(p);
        }
        f.put("percents", per);
        return f;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : round(v);
    }
}
