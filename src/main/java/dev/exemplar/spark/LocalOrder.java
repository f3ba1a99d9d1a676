package dev.exemplar.spark;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;
import org.apache.spark.input.PortableDataStream;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The first round, on one partition: the engine's features and its whole single-machine run (neighbours, scene
 * verification, greedy order, near-duplicate groups) over the partition's items. What leaves the partition is small:
 * each item's vector and local marginal gain, which items are candidates for the second round, the groups and errors.
 */
final class LocalOrder {
    /** An item as the later rounds see it: its feature row, its gain in its partition's order, and whether it goes on. */
    record Row(String name, float[] vector, double gain, boolean candidate) implements Serializable { }

    record Failure(String item, String error) implements Serializable { }

    /** One partition's outcome. */
    record Part(List<Row> rows, List<List<String>> groups, List<Failure> errors) implements Serializable { }

    private LocalOrder() { }

    /**
     * The partition's items, named; {@code wanted} is the summary size asked for (0 for automatic). Each partition sends
     * on the leading items of its own order, at least as many as the summary asks for and twice its own knee, so the
     * second round chooses from more than it keeps.
     */
    static Part of(Iterator<Tuple2<String, PortableDataStream>> files, JobOptions job, int wanted) {
        Pipeline.Options defaults = Pipeline.Options.defaults();
        Pipeline.Options o = new Pipeline.Options(job.summarySize(), job.maxDelegates(), Map.of(), defaults.loader(), defaults.features());
        List<Item> items = new ArrayList<>();
        files.forEachRemaining(f -> items.add(new Item(f._1(), () -> f._2().toArray())));
        Item.Described<ImageFeatures> d = Item.describeAll(items, Progress.NONE, (it, bytes) -> ImageFeatures.of(bytes, it.name(), o.loader()));
        List<String> names = d.items().stream().map(Item::name).toList();
        Pipeline.Run run = Pipeline.summarise(names, d.values(), d.errors(), o, Progress.NONE);
        Result r = run.result();
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < names.size(); i++) vectors.put(names.get(i), d.values().get(i).descriptor());
        // copies stand last with gain 0: none is a candidate
        int leading = Math.min(r.order().size(), Math.max(wanted, 2 * r.summarySize()));
        List<Row> rows = new ArrayList<>(names.size());
        for (int rank = 0; rank < r.order().size(); rank++) {
            String name = r.order().get(rank);
            double gain = run.gains()[rank];
            rows.add(new Row(name, vectors.get(name), gain, rank < leading && gain > 0));
        }
        List<Failure> errors = r.errors().stream().map(e -> new Failure(e.item(), e.error())).toList();
        return new Part(rows, r.duplicates().stream().map(g -> (List<String>) new ArrayList<>(g)).toList(), errors);
    }
}
