package dev.exemplar.spark;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.exemplar.json.Json;
import dev.exemplar.summary.NeighbourGraph;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.SummarySize;
import dev.exemplar.summary.UnionFind;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The summary of a folder of images, a Label Studio tasks export or a table of vectors on any Hadoop file system
 * ({@link Inputs}), on a Spark cluster, written as part files that {@code exemplar result merge} joins into the single
 * result.
 *
 * <p>The order is distributed greedy (GreeDi, Mirzasoleiman, Karbasi, Sarkar and Krause, "Distributed Submodular
 * Maximization: Identifying Representative Elements in Massive Data", NIPS 2013) over partitions of similar items:
 * features are computed once; items go to the partition of their nearest k-means centroid ({@link Blocking}), and as
 * probes to a second one nearly as close; each partition runs the engine's own run (scene verification included) on its
 * items and sends on its leading candidates (at least the k asked for), each weighted by the items of the partition it
 * is the nearest candidate of, with the similarities verification set between them; the driver runs the engine's greedy
 * over the union of the weighted candidates (a weighted core-set), which gives the head of the order; every other item
 * follows by its marginal gain in its partition's order. For a monotone submodular f under a cardinality constraint k,
 * GreeDi's two rounds give f(S) >= (1 - 1/e)^2 / min(m, k) * OPT for any partition of the items (their Theorem 4.2), so
 * for this one. The better bound for items assigned uniformly at random (Barbosa, Ene, Nguyen and Ward, "The Power of
 * Randomization: Distributed Submodular Maximization on Massive Datasets", ICML 2015) does not apply to partitions by
 * similarity. Each round evaluates facility location on the items it sees (GreeDi's decomposable setting, Section 4.5),
 * so the bound holds only approximately. The automatic size counts the items whose gain in their partition is at least
 * half an item: partitions by similarity make those gains close to the gains over all items.
 *
 * <p>Links: every partition runs the engine's linking of its constituents to the delegates, all of them when they are
 * few enough to broadcast, else those placed near it. Near-duplicate groups are the engine's, found in each partition
 * (probes included) and joined on the driver.
 */
public final class SummarizeJob {
    /** Vectors the centroids are chosen from, on the driver. */
    static final int SAMPLE = 20_000;
    /** Delegates of up to this many values in all (64 MB of floats) are broadcast for the links; more are sent where they are near. */
    static final long BROADCAST_VALUES = 16L << 20;
    /** The first delegates of the order, sent to every partition for the links. */
    static final int HEAD_EVERYWHERE = 64;

    private SummarizeJob() { }

    public static void main(String[] args) {
        JobOptions o;
        try {
            o = JobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("exemplar summarize").getOrCreate();
        int status = 0;
        try {
            Written w = run(spark, o);
            System.out.printf("%d items, summary of %d: %s%n", w.items(), w.summarySize(), o.output());
        } catch (IllegalArgumentException e) {
            // an input the job cannot read is said in one line, as a bad option is
            System.err.println(e.getMessage());
            status = 2;
        } finally {
            spark.stop();
        }
        if (status != 0) System.exit(status);
    }

    /** What the job wrote: how many items were ordered, how many are the summary, and the seconds of each step. */
    record Written(long items, int summarySize, Map<String, Double> seconds) { }

    /** A rank in the rest of the order: larger gain first, then by name, so the order is the same every run. */
    record Later(double gain, String name) implements Comparable<Later>, Serializable {
        @Override
        public int compareTo(Later o) {
            int c = Double.compare(o.gain, gain);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    record OrderLine(int rank, String item) implements Serializable { }

    record LinkLine(String item, List<Result.Link> links) implements Serializable { }

    record GroupLine(List<String> group) implements Serializable { }

    record SummaryLine(long items, int summary_size) { }

    static Written run(SparkSession spark, JobOptions o) {
        return run(spark, o, BROADCAST_VALUES);
    }

    /** As {@link #run(SparkSession, JobOptions)}, broadcasting the delegates for the links when they hold at most this many values. */
    static Written run(SparkSession spark, JobOptions o, long broadcastValues) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = o.partitions() > 0 ? o.partitions() : sc.defaultParallelism();
        Laps laps = new Laps();
        JavaRDD<Features.Batch> batches = Inputs.batches(spark, o, partitions);
        long count = batches.map(Features.Batch::files).fold(0, Integer::sum);
        int wanted = SummarySize.automatic(o.summarySize()) ? 0 : SummarySize.parse(o.summarySize(), (int) Math.max(1, count), new double[0]).size();
        JavaRDD<Features.Described> described = batches.flatMap(b -> b.items().iterator());
        // values of embedding at the end of every row (0 without --embeddings): the driver's rounds compare as the partitions do
        int embedded = batches.map(b -> b.items().isEmpty() ? 0 : b.items().get(0).embedded()).fold(0, Math::max);

        // blocking: centroids of a sample of the vectors, broadcast; each item goes to its nearest (and probes its second)
        List<float[]> sample = described.map(Features.Described::row).takeSample(false, SAMPLE, Blocking.SEED);
        laps.lap("read and sample");
        Broadcast<Blocking> blocking = sc.broadcast(Blocking.of(sample, partitions));
        JavaRDD<LocalOrder.Part> parts = described.flatMapToPair(d -> placed(d, blocking.value()).iterator())
                .partitionBy(new HashPartitioner(partitions)).values()
                .mapPartitions(it -> List.of(LocalOrder.of(it, o, wanted)).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK());

        // near-duplicate groups joined over the partitions: each group keeps its member of largest local gain
        List<List<String>> groups = merged(parts.flatMap(p -> p.groups().iterator()).collect());
        laps.lap("partitions ordered");
        Broadcast<Set<String>> grouped = sc.broadcast(new HashSet<>(groups.stream().flatMap(List::stream).toList()));
        Broadcast<Set<String>> copies = sc.broadcast(copies(groups, parts.flatMap(p -> p.rows().iterator())
                .filter(r -> grouped.value().contains(r.name())).collect()));
        JavaRDD<LocalOrder.Row> rows = parts.flatMap(p -> p.rows().iterator())
                .map(r -> copies.value().contains(r.name()) ? r.asCopy() : r);

        // second round: the engine's greedy over the union of the partitions' candidates, on their vectors' graph with
        // the partitions' scene judgements among them
        List<LocalOrder.Row> candidates = new ArrayList<>(rows.filter(LocalOrder.Row::candidate).collect());
        candidates.sort(Comparator.comparing(LocalOrder.Row::name));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) index.put(candidates.get(i).name(), i);
        Broadcast<Map<String, Integer>> sent = sc.broadcast(index);
        List<LocalOrder.Judged> judged = new ArrayList<>(parts.flatMap(p -> p.judged().iterator())
                .filter(j -> sent.value().containsKey(j.item()) && sent.value().containsKey(j.other())).collect());
        judged.sort(Comparator.comparing(LocalOrder.Judged::item).thenComparing(LocalOrder.Judged::other)
                .thenComparingDouble(LocalOrder.Judged::similarity)); // a pair judged in two partitions: the same one wins every run
        float[][] x = candidates.stream().map(LocalOrder.Row::vector).toArray(float[][]::new);
        NeighbourGraph graph = Pipeline.neighbours(x, embedded);
        for (LocalOrder.Judged j : judged) graph.judged(index.get(j.item()), index.get(j.other()), j.similarity());
        graph.resort();
        Pipeline.Order head = candidates.isEmpty() ? new Pipeline.Order(new int[0], new double[0]) : Pipeline.order(graph, candidates.stream().mapToDouble(LocalOrder.Row::mass).toArray());
        List<String> headNames = IntStream.of(head.order()).mapToObj(i -> candidates.get(i).name()).toList();
        laps.lap("second round");

        JavaPairRDD<Later, Long> rest = rows.filter(r -> !r.candidate()).map(r -> new Later(r.gain(), r.name()))
                .sortBy(l -> l, true, partitions).zipWithIndex()
                .persist(StorageLevel.MEMORY_AND_DISK()); // counted, written and searched for delegates: sorted once
        long items = headNames.size() + rest.count();

        // the automatic size counts the items more new than represented where they are: partitions of similar items
        // make facility location nearly decomposable, so an item's gain in its partition is close to its gain over all
        long fresh = rows.filter(r -> r.gain() >= SummarySize.NEW_HALF).count();
        laps.lap("rest ranked");
        int k = items == 0 ? 0 : (int) Math.min(items, SummarySize.automatic(o.summarySize()) ? Math.max(1, fresh)
                : SummarySize.parse(o.summarySize(), (int) items, new double[0]).size());

        int c = headNames.size();
        List<OrderLine> headLines = IntStream.range(0, c).mapToObj(r -> new OrderLine(r + 1, headNames.get(r))).toList();
        JavaRDD<OrderLine> order = sc.parallelize(headLines, 1).union(rest.map(l -> new OrderLine((int) (c + l._2() + 1), l._1().name())));

        List<String> delegateOrder = new ArrayList<>(headNames.subList(0, Math.min(k, c)));
        if (k > c) {
            List<Tuple2<Later, Long>> more = new ArrayList<>(rest.filter(l -> l._2() < k - c).collect());
            more.sort(Comparator.comparing(Tuple2::_2));
            more.forEach(l -> delegateOrder.add(l._1().name()));
        }
        Map<String, Integer> rankOf = new HashMap<>();
        for (String d : delegateOrder) rankOf.put(d, rankOf.size());
        Broadcast<Map<String, Integer>> delegateRank = sc.broadcast(rankOf);
        JavaRDD<LocalOrder.Row> delegates = rows.filter(r -> delegateRank.value().containsKey(r.name()));
        int dim = candidates.isEmpty() ? 0 : candidates.get(0).vector().length;
        JavaRDD<LinkLine> links;
        if ((long) k * dim <= broadcastValues) {
            // few delegates: every partition compares its constituents with all of them, as one machine does
            Broadcast<List<LocalOrder.Row>> all = sc.broadcast(inOrder(delegates.collect(), delegateOrder));
            links = parts.flatMap(p -> links(p, all.value(), o.maxDelegates(), embedded).iterator());
        } else {
            // many: each partition gets the delegates placed in it (own, probed, or one of their two nearest centroids'),
            // where a constituent's nearest delegates are, and the head of the order; none goes through the driver
            JavaRDD<LocalOrder.Row> placedDelegates = delegates.flatMapToPair(d -> near(d, delegateRank.value().get(d.name()), blocking.value(), partitions).iterator())
                    .partitionBy(new HashPartitioner(partitions)).values();
            links = parts.zipPartitions(placedDelegates, (ps, ds) -> {
                List<LocalOrder.Row> list = new ArrayList<>();
                ds.forEachRemaining(list::add);
                list.sort(Comparator.comparingInt(d -> delegateRank.value().get(d.name())));
                List<LinkLine> out = new ArrayList<>();
                ps.forEachRemaining(p -> out.addAll(links(p, list, o.maxDelegates(), embedded)));
                return out.iterator();
            });
        }
        JavaRDD<LocalOrder.Failure> errors = batches.flatMap(b -> b.errors().iterator());
        if (o.output().endsWith(".json")) {
            List<OrderLine> ranked = order.collect();
            writeResult(sc, o.output(), new Result(inRankOrder(ranked), k, inRankOrder(ranked, links.collect()), groups,
                    errors.collect().stream().map(e -> new Result.ItemError(e.item(), e.error())).toList()));
        } else {
            String out = o.output().endsWith("/") ? o.output() : o.output() + "/";
            order.map(l -> json(l)).saveAsTextFile(out + "order");
            links.map(l -> json(l)).saveAsTextFile(out + "links");
            sc.parallelize(groups, 1).map(g -> json(new GroupLine(g))).saveAsTextFile(out + "duplicates");
            errors.map(e -> json(e)).saveAsTextFile(out + "errors");
            write(sc, out + "summary.json", new SummaryLine(items, k));
        }
        rest.unpersist();
        parts.unpersist();
        batches.unpersist();
        laps.lap("written");
        return new Written(items, k, laps.seconds);
    }

    /** Seconds of each step, by the Spark actions that end them (transformations are lazy). */
    private static final class Laps {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        long t = System.nanoTime();

        void lap(String step) {
            long now = System.nanoTime();
            seconds.put(step, Math.round((now - t) / 1e7) / 100.0);
            t = now;
        }
    }

    /** The item in its own partition and, as a probe, in the one beside it; keyed by partition. */
    static List<Tuple2<Integer, LocalOrder.Placed>> placed(Features.Described d, Blocking blocking) {
        Blocking.Placement p = blocking.place(d.row());
        List<Tuple2<Integer, LocalOrder.Placed>> out = new ArrayList<>(2);
        out.add(new Tuple2<>(p.home(), new LocalOrder.Placed(d, true)));
        if (p.probe() >= 0) out.add(new Tuple2<>(p.probe(), new LocalOrder.Placed(d, false)));
        return out;
    }

    /** The partitions' groups (one pair may be seen in two) joined where they share an item, each sorted, in a fixed order. */
    static List<List<String>> merged(List<List<String>> groups) {
        Map<String, Integer> index = new TreeMap<>();
        for (List<String> g : groups) for (String name : g) index.putIfAbsent(name, 0);
        List<String> names = new ArrayList<>(index.keySet());
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        UnionFind sets = new UnionFind(names.size());
        for (List<String> g : groups) for (String name : g) sets.union(index.get(g.get(0)), index.get(name));
        Map<Integer, List<String>> byRoot = new TreeMap<>();
        for (String name : names) byRoot.computeIfAbsent(sets.find(index.get(name)), r -> new ArrayList<>()).add(name);
        return new ArrayList<>(byRoot.values());
    }

    /**
     * Every member of a group but the one that stays in the order: the largest local gain, then the first name. A
     * partition may have made any member its copy (one of its probes came first there), so gains of 0 lose to any other.
     */
    static Set<String> copies(List<List<String>> groups, List<LocalOrder.Row> members) {
        Map<String, Double> gain = new HashMap<>();
        for (LocalOrder.Row r : members) gain.put(r.name(), r.gain());
        Set<String> out = new HashSet<>();
        for (List<String> g : groups) {
            String kept = g.get(0);
            for (String name : g) if (gain.getOrDefault(name, 0.0) > gain.getOrDefault(kept, 0.0)) kept = name;
            for (String name : g) if (!name.equals(kept)) out.add(name);
        }
        return out;
    }

    /** The order's names by rank. */
    static List<String> inRankOrder(List<OrderLine> lines) {
        List<OrderLine> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingInt(OrderLine::rank));
        return sorted.stream().map(OrderLine::item).toList();
    }

    /** The links by constituent, in the order's order, as {@code summarize} writes them. */
    static Map<String, List<Result.Link>> inRankOrder(List<OrderLine> order, List<LinkLine> lines) {
        Map<String, List<Result.Link>> byItem = new HashMap<>();
        for (LinkLine l : lines) byItem.put(l.item(), l.links());
        Map<String, List<Result.Link>> out = new LinkedHashMap<>();
        for (String item : inRankOrder(order)) if (byItem.containsKey(item)) out.put(item, byItem.get(item));
        return out;
    }

    /**
     * The partitions a delegate is sent to for the links: where it was placed (own or probe), its two nearest centroids'
     * (a partition's index is its centroid's: the items were keyed by it and an integer hashes to itself), and, for the
     * first {@link #HEAD_EVERYWHERE} of the order, every partition, so that none is left without a delegate.
     */
    static List<Tuple2<Integer, LocalOrder.Row>> near(LocalOrder.Row d, int rank, Blocking blocking, int partitions) {
        Set<Integer> at = new TreeSet<>();
        if (rank < HEAD_EVERYWHERE) {
            for (int p = 0; p < partitions; p++) at.add(p);
        } else {
            Blocking.Placement p = blocking.place(d.vector());
            at.add(p.home());
            if (p.probe() >= 0) at.add(p.probe());
            for (int c : blocking.nearest(d.vector())) at.add(c);
        }
        return at.stream().map(p -> new Tuple2<>(p, d)).toList();
    }

    /** The delegates' rows in the order's order. */
    private static List<LocalOrder.Row> inOrder(List<LocalOrder.Row> rows, List<String> order) {
        Map<String, LocalOrder.Row> byName = new HashMap<>();
        for (LocalOrder.Row r : rows) byName.put(r.name(), r);
        return new ArrayList<>(order.stream().map(byName::get).toList());
    }

    /** The engine's links of a partition's constituents to every delegate, the delegates' rows put first. */
    static List<LinkLine> links(LocalOrder.Part p, List<LocalOrder.Row> delegates, int maxDelegates, int embedded) {
        Set<String> isDelegate = new HashSet<>();
        for (LocalOrder.Row d : delegates) isDelegate.add(d.name());
        List<LocalOrder.Row> constituents = p.rows().stream().filter(r -> !isDelegate.contains(r.name())).toList();
        if (constituents.isEmpty() || delegates.isEmpty()) return Collections.emptyList();
        int k = delegates.size();
        float[][] x = new float[k + constituents.size()][];
        for (int i = 0; i < k; i++) x[i] = delegates.get(i).vector();
        for (int i = 0; i < constituents.size(); i++) x[k + i] = constituents.get(i).vector();
        int[] order = IntStream.range(0, x.length).toArray();
        Pipeline.LinkTable t = Pipeline.links(x, embedded, order, k, maxDelegates, Pipeline.neighbours(x, embedded), Progress.NONE);
        List<LinkLine> out = new ArrayList<>(constituents.size());
        for (int i = 0; i < constituents.size(); i++) {
            int c = k + i;
            List<Result.Link> l = new ArrayList<>();
            for (int j = 0; j < t.delegates()[c].length; j++) {
                l.add(new Result.Link(delegates.get(t.delegates()[c][j]).name(), Math.round(t.weights()[c][j] * 1e4) / 1e4));
            }
            out.add(new LinkLine(constituents.get(i).name(), l));
        }
        return out;
    }

    /**
     * One line of a part file. Lambdas call it rather than naming it: serialized references to one method with
     * different argument types are told apart by the first only, and a task would cast to the wrong one.
     */
    static String json(Object line) throws IOException {
        return Json.MAPPER.writeValueAsString(line);
    }

    /**
     * The single result file that {@code summarize} writes, written beside its place and then renamed over it, so a
     * stopped job never leaves half a result where a whole one was.
     */
    private static void writeResult(JavaSparkContext sc, String file, Result result) {
        Path p = new Path(file);
        Path part = new Path(p.getParent(), "." + p.getName() + ".part");
        try {
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            try (OutputStream s = fs.create(part, true)) {
                Json.PRETTY.without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(s, result);
            }
            fs.delete(p, false);
            if (!fs.rename(part, p)) throw new IOException("could not rename " + part + " to " + p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JavaSparkContext sc, String file, Object value) {
        Path p = new Path(file);
        // the file system is Hadoop's cached instance, shared with the job: not closed here
        try (OutputStream s = p.getFileSystem(sc.hadoopConfiguration()).create(p, true)) {
            s.write(Json.MAPPER.writeValueAsBytes(value));
            s.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
