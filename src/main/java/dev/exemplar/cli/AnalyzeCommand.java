package dev.exemplar.cli;

import dev.exemplar.analysis.Analysis;
import dev.exemplar.analysis.AnalysisFile;
import dev.exemplar.analysis.Refusal;
import dev.exemplar.analysis.SemanticReduction;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.report.AnalysisReport;
import dev.exemplar.report.AnalysisReportWriter;
import dev.exemplar.report.ReportTitle;
import dev.exemplar.summary.Item;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@code exemplar analyze SOURCE}: redundant and influential images, SSIM and spectral analysis, train/test overlap, semantic reduction. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Analyses a labelled image set: groups of redundant images (one class) and influential ones (mixed classes), "
                + "the reduced set, the least similar pairs and most isolated images, and with --test how much of a test set "
                + "is already in the training set.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "the training images: a folder (searched recursively) "
            + "or a Label Studio tasks export (JSON)")
    Path source;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "a CSV of file,label rows (default: each image's class is the folder it is in)")
    Path labels;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "take the class from this column of --labels, which the file's header row names (default: the second "
                    + "of two columns, or the one named label or else class)")
    String labelColumn;

    @Option(names = "--test", paramLabel = "TEST_SOURCE", description = "test images to compare with the training images")
    Path test;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "wavelet",
            description = "wavelet (default: Algorithm 1, k-means on the most independent wavelet coefficients), ssim "
                    + "(Algorithm 2: SSIM of all pairs, spectral clustering), ssim-threshold (groups of images joined by an SSIM above "
                    + "--threshold), ssim-kmeans (k-means with SSIM, for sets too large for all pairs) or semantic (class-wise "
                    + "agglomerative clustering of embeddings, kept share --keep)")
    String method;

    @Option(names = "--clusters", paramLabel = "N|auto", defaultValue = "auto",
            description = "the number of clusters n_c (default: auto; for ssim, from the eigengaps larger than --gamma)")
    String clusters;

    @Option(names = "--threshold", paramLabel = "T",
            description = "ssim: the SSIM from which images are linked in the similarity graph (default: above the pairs' "
                    + "background); ssim-threshold: the SSIM that joins two images (default: 0.9); semantic: the cosine "
                    + "distance to cut the clusters at, instead of --keep")
    Double threshold;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "0.4",
            description = "ssim: the eigengap that ends the clusters (default: ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--keep", paramLabel = "P%", defaultValue = "90%",
            description = "semantic: the share of the set to keep (default: ${DEFAULT-VALUE})")
    String keep;

    @Option(names = "--linkage", paramLabel = "complete|average", defaultValue = "complete",
            description = "semantic: the linkage of the agglomerative clustering (default: ${DEFAULT-VALUE})")
    String linkage;

    @Option(names = "--embeddings", paramLabel = "FILE",
            description = "vectors by item name (.csv, .jsonl, or .npy with .names): the semantic space of --method semantic, "
                    + "and joined with the image features for --test")
    Path embeddings;

    @Option(names = "--max-items", paramLabel = "N", defaultValue = "5000",
            description = "the most images a quadratic step may run on: all pairs (ssim, ssim-threshold), the most isolated "
                    + "images, and test x training pairs up to N^2 (default: ${DEFAULT-VALUE})")
    int maxItems;

    @Option(names = "--max-class", paramLabel = "N", defaultValue = "5000",
            description = "semantic: the largest class clustered exactly (default: ${DEFAULT-VALUE})")
    int maxClass;

    @Option(names = "--approximate", description = "semantic: split a class larger than --max-class by 2-means into parts "
            + "clustered exactly, instead of refusing it")
    boolean approximate;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "analysis.json",
            description = "the analysis file (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--report", paramLabel = "DIR", description = "also write an HTML report to this folder")
    Path report;

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

        // everything that can make the run fail is checked before an image is decoded
        Analysis.Method m = method();
        int n = clusterCount();
        double share = keepShare();
        checkThreshold(m);
        if (!(gamma > 0)) throw new CliFailure("--gamma must be positive, got " + gamma);
        if (maxItems < 2) throw new CliFailure("--max-items must be at least 2, got " + maxItems);
        if (maxClass < 2) throw new CliFailure("--max-class must be at least 2, got " + maxClass);
        SemanticReduction.Linkage link = linkage();
        CommandSupport.checkOutputs(out, report);
        Labels.FromFile fromFile = labels == null ? null : readLabels(labels, labelColumn);
        Function<String, String> labelOf = fromFile == null ? Labels.fromFolders() : fromFile.labelOf();
        Map<String, float[]> vectors = CommandSupport.embeddings(embeddings);
        SourceOptions.Opened train = sources.open(source, "SOURCE");
        SourceOptions.Opened testSet = test == null ? null : sources.open(test, "--test");
        List<Item> testItems = testSet == null ? List.of() : testSet.items();
        embeddingsMatch.check(vectors, Stream.concat(train.items().stream(), testItems.stream()).toList(), stderr);
        try {
            Analysis.checkSize(m, train.items().size(), testItems.size(), maxItems);
        } catch (Refusal e) {
            throw new CliFailure(e.getMessage());
        }

        ImageLoader loader = ImageLoader.defaults();
        Analysis.Options o = new Analysis.Options(m, n, threshold == null ? Double.NaN : threshold, gamma, share, link, maxItems,
                maxClass, approximate, vectors, loader, 12345L);
        ConsoleProgress progress = ConsoleProgress.forConsole(stderr);
        Analysis.Outcome outcome;
        try {
            outcome = Analysis.run(train.items(), testItems, labelOf, o, progress);
        } catch (Refusal e) {
            train.checkSomeRead(0, e.unread());
            throw new CliFailure(e.getMessage());
        } catch (OutOfMemoryError e) {
            throw CommandSupport.outOfMemory(train.items().size() + testItems.size(), e);
        } finally {
            progress.finish();
        }
        AnalysisFile file = outcome.file();
        CommandSupport.writeFile(out, file::write);
        Path reportIndex = CommandSupport.writeReport(report, dir -> AnalysisReportWriter.write(new AnalysisReport(outcome,
                CommandSupport.thumbnails(train.items(), loader), CommandSupport.thumbnails(testItems, loader),
                ReportTitle.analysis(source, file.figures().n())), dir));
        printSummary(stdout, file, vectors, fromFile, reportIndex);
        return 0;
    }

    private Analysis.Method method() {
        try {
            return Analysis.Method.of(method);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("bad --method " + method + ": expected wavelet, ssim, ssim-threshold, ssim-kmeans or semantic");
        }
    }

    private int clusterCount() {
        if (clusters.equalsIgnoreCase("auto")) return 0;
        try {
            int k = Integer.parseInt(clusters.strip());
            if (k >= 1) return k;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliFailure("bad --clusters " + clusters + ": expected a count of at least 1 or auto");
    }

    private double keepShare() {
        String k = keep.strip();
        try {
            double v = k.endsWith("%") ? Double.parseDouble(k.substring(0, k.length() - 1)) / 100 : Double.parseDouble(k);
            if (v > 0 && v <= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliFailure("bad --keep " + keep + ": expected a share such as 90% (more than 0, at most 100%)");
    }

    private void checkThreshold(Analysis.Method m) {
        if (threshold == null) return;
        boolean ok = switch (m) {
            case SSIM, SSIM_THRESHOLD -> threshold >= -1 && threshold <= 1;
            case SEMANTIC -> threshold >= 0 && threshold <= 2;
            default -> false;
        };
        if (!ok) {
            throw new CliFailure(m == Analysis.Method.WAVELET || m == Analysis.Method.SSIM_KMEANS
                    ? "--threshold does not apply to --method " + m.label
                    : "bad --threshold " + threshold + ": expected " + (m == Analysis.Method.SEMANTIC ? "a cosine distance from 0 to 2" : "an SSIM from -1 to 1"));
        }
    }

    private SemanticReduction.Linkage linkage() {
        try {
            return SemanticReduction.Linkage.valueOf(linkage.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliFailure("bad --linkage " + linkage + ": expected complete or average");
        }
    }

    private static Labels.FromFile readLabels(Path file, String column) {
        try {
            return Labels.fromFile(file, column);
        } catch (IOException e) {
            throw new CliFailure("cannot read labels " + file + ": " + Main.describe(e), e);
        }
    }

    private void printSummary(PrintWriter o, AnalysisFile f, Map<String, float[]> vectors, Labels.FromFile fromFile, Path reportIndex) {
        AnalysisFile.Figures g = f.figures();
        CommandSupport.printItems(o, g.n(), f.errors(), "the analysis file");
        o.printf(Locale.ROOT, "Classes:          %,d (%s)%n", g.classes(), fromFile == null ? "from the folder names" : "from " + fromFile.describe(labels));
        if (!vectors.isEmpty()) o.printf(Locale.ROOT, "Embeddings:       %,d vectors read%s%n", vectors.size(),
                g.withoutVector() == null ? "" : String.format(Locale.ROOT, ", %,d items without one kept unexamined", g.withoutVector()));
        o.printf("Method:           %s%n", describe(f));
        IntSummaryStatistics red = f.redundantGroups().stream().mapToInt(x -> x.items().size()).summaryStatistics();
        IntSummaryStatistics inf = f.influentialGroups().stream().mapToInt(x -> x.items().size()).summaryStatistics();
        o.printf(Locale.ROOT, "Redundant groups: %,d (%,d items, largest %,d)%n", red.getCount(), red.getSum(), Math.max(0, red.getMax()));
        o.printf(Locale.ROOT, "Influential:      %,d groups (%,d items, largest %,d)%n", inf.getCount(), inf.getSum(), Math.max(0, inf.getMax()));
        o.printf(Locale.ROOT, "Reduced set:      %,d of %,d items%n", f.reducedSet().size(), g.n());
        if (f.testOverlap() != null) {
            AnalysisFile.TestOverlap t = f.testOverlap();
            o.printf(Locale.ROOT, "Test overlap:     %,d of %,d test items (%.1f%%) have a near-identical training image%n",
                    t.nearIdentical(), t.testItems(), 100 * t.share());
        }
        StringBuilder times = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : g.seconds().entrySet()) {
            times.append(times.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.1f s", e.getValue()));
            total += e.getValue();
        }
        o.printf(Locale.ROOT, "Time:             %.1f s (%s)%n", total, times);
        o.printf("Analysis:         %s%n", out);
        if (reportIndex != null) o.printf("Report:           %s%n", reportIndex);
        o.flush();
    }

    private static String describe(AnalysisFile f) {
        AnalysisFile.Figures g = f.figures();
        return switch (f.method()) {
            case "wavelet" -> String.format(Locale.ROOT, "wavelet: n=%,d, d=%,d (%,d vary), m=%,d, condition number %s -> %s, "
                            + "numerical rank %,d, n_c=%,d (%s)", g.n(), g.d(), g.nonConstant(), g.m(), number(g.conditionBefore()),
                    number(g.conditionAfter()), g.numericalRank(), g.clusters(), g.clusterRule());
            case "ssim" -> String.format(Locale.ROOT, "ssim: n=%,d, linked from SSIM %.3f, %,d components, n_c=%,d (%s)",
                    g.n(), g.linkLevel(), g.components(), g.clusters(), g.clusterRule());
            case "ssim-threshold" -> String.format(Locale.ROOT, "ssim-threshold: n=%,d, %,d groups (%s)", g.n(), g.clusters(), g.clusterRule());
            case "ssim-kmeans" -> String.format(Locale.ROOT, "ssim-kmeans: n=%,d, n_c=%,d (%s)", g.n(), g.clusters(), g.clusterRule());
            default -> String.format(Locale.ROOT, "semantic: n=%,d, d=%s, %s linkage, cut at cosine distance %s, %,d kept",
                    g.n(), g.d() == null ? "-" : String.format(Locale.ROOT, "%,d", g.d()), g.linkage(),
                    g.threshold() == null ? "-" : String.format(Locale.ROOT, "%.4f", g.threshold()), f.reducedSet().size());
        };
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }
}
