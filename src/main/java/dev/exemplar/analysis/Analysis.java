package dev.exemplar.analysis;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.Ssim;
import dev.exemplar.features.Vectors;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.NeighbourGraph;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The analyses of a labelled dataset, from items to the analysis file: the wavelet paper's
 * Algorithm 1 (wavelet) and Algorithm 2 (ssim, with its threshold variant and k-means with SSIM for
 * larger sets), the semantic-redundancy paper's class-wise reduction (semantic), and with a test
 * set the train/test overlap. No quadratic step runs on more items than {@code maxItems}.
 */
public final class Analysis {

    public enum Method {
        WAVELET("wavelet"), SSIM("ssim"), SSIM_THRESHOLD("ssim-threshold"), SSIM_KMEANS("ssim-kmeans"), SEMANTIC("semantic");

        public final String label;

        Method(String label) {
            this.label = label;
        }

        public static Method of(String label) {
            for (Method m : values()) if (m.label.equalsIgnoreCase(label)) return m;
            throw new IllegalArgumentException("unknown method " + label);
        }

        boolean pairwise() {
            return this == SSIM || this == SSIM_THRESHOLD;
        }
    }

    /**
     * @param clusters   n_c, or 0 for the method's automatic choice
     * @param threshold  ssim: the SSIM from which images are linked (NaN: from the background of all pairs);
     *                   ssim-threshold: the SSIM that joins two images (NaN: {@value #SSIM_THRESHOLD});
     *                   semantic: the cosine distance to cut at (NaN: from {@code keep})
     * @param gamma      the eigengap that ends the clusters (ssim)
     * @param keep       the share kept by the semantic reduction
     * @param maxItems   the most items a quadratic step (all pairs, test x training) may run on
     * @param maxClass   the largest class the semantic reduction clusters exactly
     * @param embeddings vectors by item name: the semantic space, and joined with the descriptors for train/test
     */
    public record Options(Method method, int clusters, double threshold, double gamma, double keep, SemanticReduction.Linkage linkage,
                          int maxItems, int maxClass, boolean approximate, Map<String, float[]> embeddings, ImageLoader loader, long seed) {
        public static Options defaults() {
            return new Options(Method.WAVELET, 0, Double.NaN, GAMMA, 0.9, SemanticReduction.Linkage.COMPLETE, 5_000, 5_000, false,
                    Map.of(), ImageLoader.defaults(), 12345L);
        }
    }

    /** The similarity matrix for the report: side x side block means, items in cluster order. */
    public record Heatmap(int side, float[] values, int items) { }

    /** The Laplacian's eigenvalues (ascending), the number of clusters and why. */
    public record Spectrum(double[] eigenvalues, int clusters, int components, String reason) { }

    /** The file, and for the report the heat map (SSIM methods), the spectrum (ssim) and the class of every training image. */
    public record Outcome(AnalysisFile file, Heatmap heatmap, Spectrum spectrum, Map<String, String> labels) { }

    /** The paper's eigengap threshold. */
    static final double GAMMA = 0.4;
    /** Two images this structurally similar are near-identical for the threshold variant. */
    static final double SSIM_THRESHOLD = 0.9;
    static final int LISTED = 20, NEAREST_TRAINING = 5, HEATMAP_SIDE = 400;

    private Analysis() { }

    /** Refuses, before any image is read, a run whose quadratic steps would exceed {@code maxItems}. */
    public static void checkSize(Method method, int trainItems, int testItems, int maxItems) {
        if (method.pairwise() && trainItems > maxItems) {
            throw new Refusal(String.format(Locale.ROOT, "--method %s compares all pairs of images, and %,d images are more than "
                    + "the %,d allowed (%,d pairs); use --method ssim-kmeans or wavelet for a set this size, or raise --max-items",
                    method.label, trainItems, maxItems, (long) trainItems * (trainItems - 1) / 2));
        }
        if (testItems > 0 && (long) testItems * trainItems > (long) maxItems * maxItems) {
            throw new Refusal(String.format(Locale.ROOT, "--test compares every test image with every training image: %,d x %,d "
                    + "pairs are more than the %,d allowed (--max-items squared); raise --max-items", testItems, trainItems,
                    (long) maxItems * maxItems));
        }
    }

    /** Reads the images, runs the method on the training set and, with a test set, the train/test overlap. */
    public static Outcome run(List<Item> train, List<Item> test, Function<String, String> labelOf, Options o, Progress progress) {
        checkSize(o.method(), train.size(), test.size(), o.maxItems());
        Laps laps = new Laps();
        Samples.Decoded decoded = Samples.read(train, labelOf, o.loader(), progress);
        Samples.Decoded decodedTest = test.isEmpty() ? null : Samples.read(test, name -> "", o.loader(), progress);
        laps.lap("features");
        if (decoded.samples().isEmpty()) throw new Refusal("no readable image to analyse", decoded.errors());
        Run r = new Run(decoded.samples(), o, progress, laps);
        AnalysisFile.Figures figures = switch (o.method()) {
            case WAVELET -> r.wavelet();
            case SSIM, SSIM_THRESHOLD -> r.ssim();
            case SSIM_KMEANS -> r.ssimKMeans();
            case SEMANTIC -> r.semantic();
        };
        if (decodedTest != null && !decodedTest.samples().isEmpty()) r.overlap(decodedTest.samples());
        AnalysisFile file = r.lists.file(o.method().label, figures, decoded.errors(), decodedTest == null ? null : decodedTest.errors());
        return new Outcome(file, r.heatmap, r.spectrum, r.labelOfName());
    }

    /** The phases' seconds, in the order they ran; a phase that runs twice adds up. */
    private static final class Laps {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        private long since = System.nanoTime();

        /** Ends a phase that began at the last lap (or restart). */
        void lap(String phase) {
            long now = System.nanoTime();
            seconds.merge(phase, Math.round((now - since) / 1e6) / 1e3, Double::sum);
            since = now;
        }

        /** Starts the next phase now, after one that timed itself. */
        void restart() {
            since = System.nanoTime();
        }
    }

    /** One analysis of the readable training samples: each method fills the file's lists and returns its figures. */
    private static final class Run {
        final List<Sample> s;
        final int n, classes;
        final String[] labels;
        final int[] classIds;
        final Options o;
        final Progress progress;
        final Laps laps;
        final Lists lists;
        Heatmap heatmap;
        Spectrum spectrum;

        Run(List<Sample> s, Options o, Progress progress, Laps laps) {
            this.s = s;
            this.n = s.size();
            this.labels = s.stream().map(Sample::label).toArray(String[]::new);
            this.classIds = classIds(labels);
            this.classes = Arrays.stream(classIds).max().orElse(-1) + 1;
            this.o = o;
            this.progress = progress;
            this.laps = laps;
            this.lists = new Lists(s, labels);
        }

        private AnalysisFile.Figures.Builder figures() {
            return AnalysisFile.Figures.of(n, classes, laps.seconds);
        }

        private String automaticRule() {
            return o.clusters() > 0 ? "given" : "automatic: one cluster per group of near-identical images";
        }

        AnalysisFile.Figures wavelet() {
            float[][] x = WaveletRows.of(s.stream().map(Sample::thumbnail).toList());
            laps.lap("wavelet");
            NeighbourGraph near = n < 2 ? null : DistinctImages.neighbours(x, o.seed());
            int nc = o.clusters() > 0 ? Math.min(o.clusters(), n) : near == null ? n : DistinctImages.count(near);
            laps.lap("neighbours");
            progress.phase("clustering", 1);
            WaveletClustering.Result r = WaveletClustering.run(x, new WaveletClustering.Options(1e5, nc, o.seed()));
            r.seconds().forEach((k, v) -> laps.seconds.merge(k, v, Double::sum));
            laps.restart();
            lists.groups(Redundancy.of(r.assignment(), classIds, r.representative()));
            lists.isolated(near);
            laps.lap("groups");
            return figures().d(r.d()).nonConstant(r.nonConstant()).m(r.m())
                    .conditionBefore(finite(r.conditionBefore())).conditionAfter(finite(r.conditionAfter()))
                    .numericalRank(r.numericalRank()).clusters(r.clusters()).clusterRule(automaticRule()).build();
        }

        AnalysisFile.Figures ssim() {
            List<Ssim.Prepared> images = s.stream().map(Sample::ssimImage).toList();
            SimilarityMatrix m = SimilarityMatrix.ssim(images, progress);
            laps.lap("ssim");
            AnalysisFile.Figures.Builder f = figures().d(Sample.SSIM_SIDE * Sample.SSIM_SIDE);
            int[] assignment, representative;
            if (o.method() == Method.SSIM) {
                SpectralClustering.Result r = SpectralClustering.run(m, o.threshold(), o.clusters(), o.gamma(), o.seed(), progress);
                laps.lap("spectral");
                assignment = r.assignment();
                representative = r.representative();
                String rule = r.choice() == null ? "given" : r.choice().reason();
                f.clusters(r.clusters()).clusterRule(rule).linkLevel(r.link()).components(r.components()).gamma(o.gamma());
                spectrum = new Spectrum(r.eigenvalues(), r.clusters(), r.components(), rule);
            } else {
                double level = Double.isNaN(o.threshold()) ? SSIM_THRESHOLD : o.threshold();
                SsimThreshold.Result r = SsimThreshold.run(m, level);
                assignment = r.assignment();
                representative = r.representative();
                f.clusters(r.clusters()).threshold(level)
                        .clusterRule(String.format(Locale.ROOT, "groups of images joined by an SSIM of at least %.3g", level));
            }
            lists.groups(Redundancy.of(assignment, classIds, representative));
            lists.extremes(PairExtremes.of(m, LISTED));
            heatmap = heatmap(m, assignment, HEATMAP_SIDE);
            laps.lap("groups");
            return f.build();
        }

        AnalysisFile.Figures ssimKMeans() {
            List<Ssim.Prepared> images = s.stream().map(Sample::ssimImage).toList();
            int k = o.clusters() > 0 ? Math.min(o.clusters(), n)
                    : DistinctImages.count(WaveletRows.of(s.stream().map(Sample::thumbnail).toList()), o.seed());
            SsimKMeans.Result r = SsimKMeans.run(images, k, o.seed(), progress);
            laps.lap("ssim k-means");
            lists.groups(Redundancy.of(r.assignment(), classIds, r.representative()));
            lists.isolated(descriptorNeighbours());
            laps.lap("groups");
            return figures().d(Sample.SSIM_SIDE * Sample.SSIM_SIDE).clusters(r.clusters()).clusterRule(automaticRule()).build();
        }

        AnalysisFile.Figures semantic() {
            float[][] x = new float[n][];
            int missing = 0;
            for (int i = 0; i < n; i++) {
                x[i] = o.embeddings().isEmpty() ? s.get(i).descriptor() : unit(o.embeddings().get(s.get(i).name()));
                if (x[i] == null) missing++;
            }
            int[] with = IntStream.range(0, n).filter(i -> x[i] != null).toArray();
            // items without a vector cannot be judged: they stay, and the share is taken of the others
            double keep = with.length == 0 ? 1 : Math.max(1e-9, Math.min(1, (o.keep() * n - missing) / with.length));
            SemanticReduction.Result r = with.length == 0 ? null : SemanticReduction.run(
                    Arrays.stream(with).mapToObj(i -> x[i]).toArray(float[][]::new),
                    Arrays.stream(with).mapToObj(i -> labels[i]).toArray(String[]::new),
                    new SemanticReduction.Options(keep, o.threshold(), o.linkage(), o.maxClass(), o.approximate(), o.seed()), progress);
            laps.lap("clustering");
            lists.semantic(r, with);
            lists.isolated(descriptorNeighbours());
            laps.lap("groups");
            return figures().d(with.length == 0 ? null : x[with[0]].length)
                    .clusters((r == null ? 0 : r.kept().length) + missing)
                    .threshold(r == null ? null : round(r.threshold()))
                    .keep(o.keep()).linkage(o.linkage().name().toLowerCase(Locale.ROOT))
                    .splitClasses(r == null || r.split().isEmpty() ? null : r.split())
                    .withoutVector(missing == 0 ? null : missing).build();
        }

        /** The neighbour graph of the descriptors, for the most isolated items (none for a single item). */
        private NeighbourGraph descriptorNeighbours() {
            return n < 2 ? null : DistinctImages.neighbours(s.stream().map(Sample::descriptor).toArray(float[][]::new), o.seed());
        }

        void overlap(List<Sample> ts) {
            TrainTestOverlap.Result r = TrainTestOverlap.run(s, joined(s, o.embeddings()), ts, joined(ts, o.embeddings()),
                    embeddingLength(o.embeddings()), NEAREST_TRAINING, progress);
            lists.overlap(r, ts);
            laps.lap("train/test");
        }

        Map<String, String> labelOfName() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Sample x : s) out.put(x.name(), x.label());
            return out;
        }
    }

    /** Builds the file's lists from indices into the samples. */
    private static final class Lists {
        final List<Sample> s;
        final String[] labels;
        List<AnalysisFile.Group> redundant = List.of(), influential = List.of();
        List<String> reduced = List.of();
        List<AnalysisFile.SimilarPair> least;
        List<AnalysisFile.Isolated> isolated, isolatedTest;
        AnalysisFile.TestOverlap overlap;

        Lists(List<Sample> s, String[] labels) {
            this.s = s;
            this.labels = labels;
        }

        void groups(Redundancy.Groups g) {
            redundant = new ArrayList<>();
            for (int i = 0; i < g.redundant().size(); i++) redundant.add(group(g.redundant().get(i), g.kept()[i]));
            influential = g.influential().stream().map(x -> group(x, -1)).toList();
            reduced = Arrays.stream(g.reduced()).mapToObj(i -> s.get(i).name()).toList();
        }

        void semantic(SemanticReduction.Result r, int[] with) {
            boolean[] drop = new boolean[s.size()];
            redundant = new ArrayList<>();
            if (r != null) {
                for (int g = 0; g < r.groups().size(); g++) {
                    int[] items = Arrays.stream(r.groups().get(g)).map(i -> with[i]).toArray();
                    int kept = with[r.groupKept()[g]];
                    redundant.add(group(items, kept));
                    for (int i : items) if (i != kept) drop[i] = true;
                }
            }
            influential = List.of(); // clusters never cross classes here
            reduced = IntStream.range(0, s.size()).filter(i -> !drop[i]).mapToObj(i -> s.get(i).name()).toList();
        }

        void extremes(PairExtremes e) {
            least = e.leastSimilar().stream().map(p -> new AnalysisFile.SimilarPair(s.get(p.a()).name(), s.get(p.b()).name(),
                    round(p.similarity()))).toList();
            isolated = Arrays.stream(e.mostIsolated(Math.min(LISTED, s.size()))).filter(i -> e.partner()[i] >= 0)
                    .mapToObj(i -> new AnalysisFile.Isolated(s.get(i).name(), round(e.nearest()[i]), s.get(e.partner()[i]).name())).toList();
        }

        /** The most isolated items: the lowest similarity to their nearest other item in a neighbour graph (none: not listed). */
        void isolated(NeighbourGraph g) {
            if (g == null) return;
            int n = s.size();
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> g.similarities(i)[0]).thenComparingInt(i -> i));
            isolated = Arrays.stream(order).limit(LISTED).map(i -> new AnalysisFile.Isolated(s.get(i).name(),
                    round(g.similarities(i)[0]), s.get(g.neighbours(i)[0]).name())).toList();
        }

        void overlap(TrainTestOverlap.Result r, List<Sample> test) {
            List<AnalysisFile.TestItem> items = new ArrayList<>();
            for (TrainTestOverlap.Match m : r.matches()) {
                items.add(new AnalysisFile.TestItem(test.get(m.test()).name(),
                        m.nearest().stream().map(nb -> new AnalysisFile.Neighbour(s.get(nb.train()).name(), round(nb.similarity()))).toList(),
                        m.nearIdentical() < 0 ? null : s.get(m.nearIdentical()).name(), Double.isNaN(m.ssim()) ? null : round(m.ssim())));
            }
            overlap = new AnalysisFile.TestOverlap(round(r.share()), r.matches().size(), r.nearIdentical(),
                    "cosine of the descriptors; near-identical by the duplicate test", items);
            isolatedTest = Arrays.stream(r.byIsolation()).limit(LISTED).mapToObj(i -> r.matches().get(i))
                    .filter(m -> !m.nearest().isEmpty())
                    .map(m -> new AnalysisFile.Isolated(test.get(m.test()).name(), round(TrainTestOverlap.best(m)),
                            s.get(m.nearest().get(0).train()).name())).toList();
        }

        private AnalysisFile.Group group(int[] items, int kept) {
            List<String> names = Arrays.stream(items).mapToObj(i -> s.get(i).name()).toList();
            List<String> classes = new ArrayList<>(new TreeSet<>(Arrays.stream(items).mapToObj(i -> labels[i]).toList()));
            return new AnalysisFile.Group(names, classes, kept < 0 ? null : s.get(kept).name());
        }

        AnalysisFile file(String method, AnalysisFile.Figures f, List<Result.ItemError> errors,
                          List<Result.ItemError> testErrors) {
            return new AnalysisFile(method, f, redundant, influential, reduced, least, isolated, overlap, isolatedTest, errors, testErrors);
        }
    }

    /** Block means of the matrix with items ordered by cluster (largest first), so clusters show as squares on the diagonal. */
    static Heatmap heatmap(SimilarityMatrix m, int[] assignment, int maxSide) {
        int n = m.rows();
        int k = Arrays.stream(assignment).max().orElse(-1) + 1;
        int[] size = new int[k];
        for (int a : assignment) size[a]++;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -size[assignment[i]]).thenComparingInt(i -> assignment[i]).thenComparingInt(i -> i));
        int side = Math.min(n, maxSide);
        double[] sum = new double[side * side];
        long[] count = new long[side * side];
        for (int a = 0; a < n; a++) {
            int r = (int) ((long) a * side / n);
            for (int c = 0; c < n; c++) {
                int cell = r * side + (int) ((long) c * side / n);
                sum[cell] += m.get(order[a], order[c]);
                count[cell]++;
            }
        }
        float[] v = new float[side * side];
        for (int i = 0; i < v.length; i++) v[i] = (float) (sum[i] / Math.max(1, count[i]));
        return new Heatmap(side, v, n);
    }

    private static float[][] joined(List<Sample> s, Map<String, float[]> embeddings) {
        int dim = embeddingLength(embeddings);
        float[][] out = new float[s.size()][];
        for (int i = 0; i < s.size(); i++) out[i] = Embeddings.join(s.get(i).descriptor(), embeddings.get(s.get(i).name()), dim);
        return out;
    }

    /** The length of the embeddings joined to the descriptors (0 for none), as in the summary's features. */
    private static int embeddingLength(Map<String, float[]> embeddings) {
        return embeddings.values().stream().mapToInt(v -> v.length).max().orElse(0);
    }

    private static float[] unit(float[] v) {
        if (v == null) return null;
        float[] u = v.clone();
        Vectors.normalise(u);
        return u;
    }

    private static int[] classIds(String[] labels) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) out[i] = ids.computeIfAbsent(labels[i], k -> ids.size());
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
