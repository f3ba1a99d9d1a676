package dev.exemplar.summary;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.Kernels;
import dev.exemplar.features.WaveletFeatures;
import dev.exemplar.features.learned.LearnedFeatures;
import dev.exemplar.features.learned.MissingWeights;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The engine from images to result: features, neighbour graph, verified scene pairs, order,
 * near-duplicate groups (their copies moved to the end), summary size and links.
 */
public final class Pipeline {
    /**
     * @param summarySize {@code auto}, {@code N} or {@code P%}
     * @param embeddings  optional vectors by item name, joined with the image features (may be empty)
     * @param features    what items are compared by for the graph, the order and the links
     */
    public record Options(String summarySize, int maxDelegates, Map<String, float[]> embeddings, ImageLoader loader,
                          FeatureMethod features) {
        public static Options defaults() {
            return new Options("auto", 3, Map.of(), ImageLoader.defaults(), FeatureMethod.COMBINED);
        }
    }

    /**
     * The result, the marginal gain of each item of the order, why the summary has its size,
     * milliseconds per phase, and the wavelet features' figures (null unless {@link FeatureMethod#WAVELET}).
     */
    public record Run(Result result, double[] gains, String sizeReason, Map<String, Long> millis, int verifiedPairs,
                      WaveletFeatures.Features wavelet, Map<String, List<Candidate>> candidates, Neighbours neighbours) { }

    /**
     * The neighbour graph the order was built on (after scene verification), numbered by position in
     * {@link Result#order()}: item r's neighbours are {@code ids[r degree .. r degree + degree)}, most similar first,
     * with their cosine similarities in {@code similarities}. Two flat arrays, 8 bytes per edge, no object per item.
     */
    public record Neighbours(int degree, int[] ids, float[] similarities) {
        public static final Neighbours NONE = new Neighbours(0, new int[0], new float[0]);
    }

    /** One of the delegates nearest a constituent, with their cosine similarity: where a label may come from. */
    public record Candidate(String delegate, double similarity) { }

    /** Neighbours per item in the graph, and the one whose distance sets an item's local scale. */
    public static final int NEIGHBOURS = 20, SCALE_NEIGHBOUR = 10;

    /** Whether the similarity kernels run on the JDK's Vector API here (else on plain loops). */
    public static boolean vectorKernels() {
        return Kernels.VECTOR;
    }

    private Pipeline() { }

    public static Run run(List<Item> items, Options o, Progress progress) {
        return run(items, o, progress, new RunState());
    }

    /**
     * As {@link #run(List, Options, Progress)}, noting in {@code state} what is computed as it is: a caller whose run
     * stops (an exhausted heap, a signal) writes that.
     */
    public static Run run(List<Item> items, Options o, Progress tracked, RunState state) {
        Progress progress = state.tracking(tracked);
        Map<String, Long> ms = new LinkedHashMap<>();
        long t = System.nanoTime();
        Run run;
        List<Result.ItemError> itemErrors;
        Map<Item, Integer> slot = new IdentityHashMap<>();
        for (Item it : items) slot.put(it, slot.size());
        LearnedFeatures network = o.features() == FeatureMethod.LEARNED ? learnedFeatures() : null;
        try (KeypointFile spilled = KeypointFile.create(); FeatureFiles files = FeatureFiles.create(items.size(), o)) {
            Item.Described<ImageFeatures> d = Item.describeAll(items, progress, (it, bytes) -> {
                ImageFeatures f = ImageFeatures.of(bytes, it.name(), o.loader());
                float[] learned = network == null ? null : network.of(bytes, it.name(), o.loader());
                spilled.put(it.name(), f.keypoints(), f.mirroredKeypoints());
                return files.put(slot.get(it), it.name(), kept(f, o.features()), learned);
            }, state::itemDone);
            List<String> names = d.items().stream().map(Item::name).toList();
            itemErrors = d.errors();
            state.itemsRead(names, itemErrors);
            t = lap(ms, "features", t);
            int[] slots = d.items().stream().mapToInt(slot::get).toArray();
            run = summarise(names, d.values(), files.rows(slots), files.compared(slots), files.thumbnails(slots, d.values()),
                    spilled.of(names), PairMemory.NONE, o, Earlier.NONE, progress, ms, t, state);
        }
        return withErrors(run, itemErrors, ms);
    }

    /**
     * The engine after decoding, for callers that keep features themselves (by content hash, say):
     * the order, duplicates, summary size and links of the named items.
     */
    public static Run summarise(List<String> names, List<ImageFeatures> features, List<Result.ItemError> errors,
                                Options o, Progress progress) {
        return summarise(names, features, errors, o, Earlier.NONE, progress);
    }

    /** An earlier result to build on: its order (names) and how many of it were the summary. */
    public record Earlier(List<String> order, int summarySize) {
        public static final Earlier NONE = new Earlier(List.of(), 0);
    }

    /**
     * As {@link #summarise(List, List, List, Options, Progress)}, building on an earlier result:
     * its items (those still here) keep their relative order and the others go where the greedy
     * takes them; with an automatic size, the summary ends where the earlier one's last delegate
     * now stands. So the order, the roles and the links change where new items belong and
     * nowhere else, and what was written from the earlier result mostly stays true.
     */
    public static Run summarise(List<String> names, List<ImageFeatures> features, List<Result.ItemError> errors,
                                Options o, Earlier earlier, Progress progress) {
        return summarise(names, features, errors, o, earlier, KeypointSource.of(features), PairMemory.NONE, progress);
    }

    /**
     * What a run reads of an item's features once they are made: no keypoints, and for the duplicate check a
     * thumbnail a quarter the size (the wavelet features read the whole one). A large project holds this of every item.
     */
    public static ImageFeatures kept(ImageFeatures f, FeatureMethod method) {
        return method == FeatureMethod.WAVELET ? f.withoutKeypoints() : f.withoutKeypoints().withThumbnail(Duplicates.compared(f.thumbnail()));
    }

    /**
     * As {@link #summarise(List, List, List, Options, Earlier, KeypointSource, PairMemory, Progress)}, with each item's
     * descriptor and thumbnail read from files: {@code held} holds what {@link FeatureFiles#put} returned for each item,
     * {@code slots} where each was put.
     */
    public static Run summarise(List<String> names, List<ImageFeatures> held, FeatureFiles files, int[] slots,
                                List<Result.ItemError> errors, Options o, Earlier earlier, KeypointSource keypoints, PairMemory pairs,
                                Progress progress) {
        Map<String, Long> ms = new LinkedHashMap<>();
        Run run = summarise(names, held, files.rows(slots), files.compared(slots), files.thumbnails(slots, held), keypoints, pairs, o,
                earlier, progress, ms, System.nanoTime(), new RunState());
        return withErrors(run, errors, ms);
    }

    /**
     * As {@link #summarise(List, List, List, Options, Earlier, Progress)}, with the photographs' keypoints read from
     * where the caller keeps them (the features then need not hold them: see {@link #kept}) and scene
     * verification's results kept between runs.
     */
    public static Run summarise(List<String> names, List<ImageFeatures> features, List<Result.ItemError> errors,
                                Options o, Earlier earlier, KeypointSource keypoints, PairMemory pairs, Progress progress) {
        Map<String, Long> ms = new LinkedHashMap<>();
        int dim = embeddingLength(o);
        float[][] joined = new float[names.size()][];
        for (int i = 0; i < joined.length; i++) joined[i] = join(features.get(i).descriptor(), o.embeddings().get(names.get(i)), dim);
        Rows rows = Rows.of(joined).embedded(dim);
        Run run = summarise(names, features, rows, rows, i -> features.get(i).thumbnail(), keypoints, pairs, o, earlier, progress,
                ms, System.nanoTime(), new RunState());
        return withErrors(run, errors, ms);
    }

    /**
     * The engine after decoding, reading the items' features where they are kept: the descriptors joined with any
     * embeddings as rows, the rows compared for the graph and the links (the same, or joined with learned features),
     * the compared thumbnails by item, and the rest (texture, aspect) from f.
     */
    private static Run summarise(List<String> names, List<ImageFeatures> f, Rows descriptors, Rows compared, IntFunction<Thumbnail> thumbs,
                                 KeypointSource keypoints, PairMemory pairs, Options o, Earlier earlier, Progress progress,
                                 Map<String, Long> ms, long t, RunState state) {
        int n = names.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(names.get(i), i);
        int[] kept = earlier.order().stream().map(index::get).filter(Objects::nonNull).mapToInt(Integer::intValue).distinct().toArray();
        boolean[] wasDelegate = new boolean[n];
        earlier.order().subList(0, Math.min(earlier.summarySize(), earlier.order().size())).stream()
                .map(index::get).filter(Objects::nonNull).forEach(i -> wasDelegate[i] = true);
        if (n == 0) return new Run(new Result(List.of(), 0, Map.of(), List.of(), List.of()), new double[0], "no readable items", ms, 0, null,
                Map.of(), Neighbours.NONE);
        double[] texture = new double[n], aspect = new double[n];
        boolean[] photographs = new boolean[n];
        int dim = embeddingLength(o);
        for (int i = 0; i < n; i++) {
            texture[i] = f.get(i).texture();
            aspect[i] = f.get(i).aspect();
            photographs[i] = keypoints.has(i);
        }
        Rows x = compared;
        WaveletFeatures.Features wavelet = null;
        if (o.features() == FeatureMethod.WAVELET) {
            progress.phase("wavelet", 1);
            wavelet = WaveletFeatures.of(IntStream.range(0, n).mapToObj(thumbs).toList(), WaveletFeatures.Options.defaults());
            float[][] joined = new float[n][];
            for (int i = 0; i < n; i++) joined[i] = join(wavelet.vectors()[i], o.embeddings().get(names.get(i)), dim);
            x = Rows.of(joined).embedded(dim);
            t = lap(ms, "wavelet", t);
        }
        progress.phase("neighbours", 1);
        NeighbourGraph graph = neighbours(x);
        t = lap(ms, "neighbours", t);
        int verified = SceneVerification.apply(graph, keypoints, photographs, texture, pairs, progress);
        t = lap(ms, "verify", t);

        progress.phase("order", 1);
        FacilityLocation.Ordering ordering = ordering(graph, kept);
        t = lap(ms, "order", t);

        // the copy test's global-statistics check keeps the descriptors, whatever the graph was built from
        List<int[]> groups = Duplicates.groups(graph, descriptors, thumbs, aspect, photographs, progress);
        int[] order = copiesLast(ordering.order(), groups, n, kept);
        double[] gains = reorder(ordering, order, groups);
        t = lap(ms, "duplicates", t);
        state.ordered(Arrays.stream(order).mapToObj(names::get).toList(),
                groups.stream().map(g -> Arrays.stream(g).mapToObj(names::get).toList()).toList());

        SummarySize.Choice size = kept.length > 0 && SummarySize.automatic(o.summarySize())
                ? SummarySize.after(order, wasDelegate, gains) : SummarySize.parse(o.summarySize(), n, gains);
        LinkTable links = links(x, order, size.size(), o.maxDelegates(), graph, progress);
        lap(ms, "links", t);

        List<String> orderNames = new ArrayList<>(n);
        for (int i : order) orderNames.add(names.get(i));
        Map<String, List<Result.Link>> linkMap = new LinkedHashMap<>();
        Map<String, List<Candidate>> candidates = new LinkedHashMap<>();
        for (int r = size.size(); r < n; r++) {
            int c = order[r];
            List<Candidate> near = new ArrayList<>();
            for (int k = 0; k < links.candidates()[c].length; k++) {
                near.add(new Candidate(names.get(links.candidates()[c][k]), links.similarities()[c][k]));
            }
            candidates.put(names.get(c), near);
            List<Result.Link> l = new ArrayList<>();
            for (int k = 0; k < links.delegates()[c].length; k++) {
                l.add(new Result.Link(names.get(links.delegates()[c][k]), Math.round(links.weights()[c][k] * 1e4) / 1e4));
            }
            linkMap.put(names.get(c), l);
        }
        List<List<String>> dupNames = new ArrayList<>();
        for (int[] g : groups) dupNames.add(Arrays.stream(g).mapToObj(names::get).toList());
        return new Run(new Result(orderNames, size.size(), linkMap, dupNames, List.of()), gains, size.reason(), ms, verified, wavelet,
                candidates, graph.inOrder(order));
    }

    /** The run with the items that could not be read, and every phase's time. */
    private static Run withErrors(Run run, List<Result.ItemError> errors, Map<String, Long> ms) {
        return new Run(new Result(run.result().order(), run.result().summarySize(), run.result().links(), run.result().duplicates(), errors),
                run.gains(), run.sizeReason(), ms, run.verifiedPairs(), run.wavelet(), run.candidates(), run.neighbours());
    }

    /** The k nearest neighbours of every feature row (unit rows), which the order and the links are built on. */
    public static NeighbourGraph neighbours(float[][] x) {
        return neighbours(Rows.of(x));
    }

    /**
     * As {@link #neighbours(float[][])}, for rows that end in {@code embedded} values of an item's embedding, zeros for an
     * item without one ({@link dev.exemplar.features.Embeddings#join}): such an item is compared by its descriptor
     * alone, as in a run with embeddings.
     */
    public static NeighbourGraph neighbours(float[][] x, int embedded) {
        return neighbours(Rows.of(x).embedded(embedded));
    }

    static NeighbourGraph neighbours(Rows x) {
        return NeighbourGraph.build(x, NEIGHBOURS);
    }

    /** An order of items, most important first, and each one's marginal gain in units of items. */
    public record Order(int[] order, double[] gains) { }

    /** The greedy facility-location order on the graph's locally scaled similarities. */
    public static Order order(NeighbourGraph graph) {
        return order(graph, null);
    }

    /** As {@link #order(NeighbourGraph)}, each item standing for mass[i] items (a weighted core-set's order). */
    public static Order order(NeighbourGraph graph, double[] mass) {
        FacilityLocation.Ordering o = ordering(graph, new int[0], mass);
        return new Order(o.order(), o.gains());
    }

    private static FacilityLocation.Ordering ordering(NeighbourGraph graph, int[] kept) {
        return ordering(graph, kept, null);
    }

    private static FacilityLocation.Ordering ordering(NeighbourGraph graph, int[] kept, double[] mass) {
        long t = System.nanoTime();
        SimilarityGraph g = SimilarityGraph.locallyScaled(graph, SCALE_NEIGHBOUR);
        NeighbourSearch.trace("similarity graph", t);
        t = System.nanoTime();
        FacilityLocation.Ordering o = FacilityLocation.order(g, kept, mass);
        NeighbourSearch.trace("greedy", t);
        return o;
    }

    /**
     * Per item (null for the first summarySize of the order, the delegates): its delegates,
     * strongest first, with weights summing to 1, and the nearest delegates they were chosen from
     * with their cosine similarities.
     */
    public record LinkTable(int[][] delegates, double[][] weights, int[][] candidates, float[][] similarities) { }

    /** Links every constituent of the order to up to maxDelegates of the first summarySize items. */
    public static LinkTable links(float[][] x, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph, Progress progress) {
        return links(Rows.of(x), order, summarySize, maxDelegates, graph, progress);
    }

    /** As {@link #links(float[][], int[], int, int, NeighbourGraph, Progress)}, for rows joined with {@code embedded} values of embedding. */
    public static LinkTable links(float[][] x, int embedded, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph,
                                  Progress progress) {
        return links(Rows.of(x).embedded(embedded), order, summarySize, maxDelegates, graph, progress);
    }

    static LinkTable links(Rows x, int[] order, int summarySize, int maxDelegates, NeighbourGraph graph, Progress progress) {
        Links.Table t = Links.build(x, order, summarySize, maxDelegates, graph, progress);
        return new LinkTable(t.delegates(), t.weights(), t.candidates(), t.similarities());
    }

    /** Keeps the first member of each duplicate group in place and moves the others, in order, to the end. */
    static int[] copiesLast(int[] order, List<int[]> groups, int n) {
        return copiesLast(order, groups, n, new int[0]);
    }

    /**
     * As {@link #copiesLast(int[], List, int)}, where a group that holds items of an earlier order
     * ({@code kept}) keeps the earliest of those in place: a new copy of an existing item is the
     * copy, even where the greedy happened to place it first.
     */
    static int[] copiesLast(int[] order, List<int[]> groups, int n, int[] kept) {
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) rank[order[r]] = r;
        int[] keptRank = new int[n];
        Arrays.fill(keptRank, Integer.MAX_VALUE);
        for (int r = 0; r < kept.length; r++) keptRank[kept[r]] = r;
        boolean[] copy = new boolean[n];
        for (int[] g : groups) {
            int first = g[0];
            for (int i : g) {
                boolean earlier = keptRank[i] != keptRank[first] ? keptRank[i] < keptRank[first] : rank[i] < rank[first];
                if (earlier) first = i;
            }
            for (int i : g) if (i != first) copy[i] = true;
        }
        int[] out = new int[n];
        int at = 0;
        for (int i : order) if (!copy[i]) out[at++] = i;
        for (int i : order) if (copy[i]) out[at++] = i;
        return out;
    }

    /** The gains follow their items, except that a copy adds nothing once its original is chosen. */
    private static double[] reorder(FacilityLocation.Ordering o, int[] order, List<int[]> groups) {
        double[] byItem = new double[order.length];
        for (int r = 0; r < order.length; r++) byItem[o.order()[r]] = o.gains()[r];
        int copies = 0;
        for (int[] g : groups) copies += g.length - 1;
        for (int r = order.length - copies; r < order.length; r++) byItem[order[r]] = 0;
        double[] out = new double[order.length];
        for (int r = 0; r < order.length; r++) out[r] = byItem[order[r]];
        return out;
    }

    /** The length of the embeddings joined to the features (0 for none). */
    static int embeddingLength(Options o) {
        return o.embeddings().values().stream().mapToInt(v -> v.length).max().orElse(0);
    }

    /** The network of the learned features, where the build put it; {@link MissingWeights} names a file not there. */
    public static LearnedFeatures learnedFeatures() {
        try {
            return LearnedFeatures.load(LearnedFeatures.defaultDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A descriptor joined at equal weight with an item's learned features (unit length both). */
    static float[] withLearned(float[] descriptor, float[] learned) {
        return join(descriptor, learned, learned.length);
    }

    /** A descriptor joined with an item's embedding, if it has one: see {@link Embeddings#join}. */
    static float[] join(float[] descriptor, float[] embedding, int dim) {
        return Embeddings.join(descriptor, embedding, dim);
    }

    private static long lap(Map<String, Long> ms, String phase, long since) {
        long now = System.nanoTime();
        ms.merge(phase, (now - since) / 1_000_000, Long::sum);
        return now;
    }
}
