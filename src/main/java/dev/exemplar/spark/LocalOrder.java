package dev.exemplar.spark;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The first round, on one partition: the engine's whole single-machine run (neighbours, scene verification, greedy
 * order, near-duplicate groups) over the partition's own items and the probes of its neighbours' items near its
 * boundary. Probes take part so that scenes and copies across the boundary are seen; only the partition's own items
 * are ordered here. What leaves the partition is small: each own item's vector and local marginal gain, which items
 * are candidates for the second round, and the groups (which may hold probes).
 */
final class LocalOrder {
    /** An item as the later rounds see it: its feature row, its gain in its partition's order, and whether it goes on. */
    record Row(String name, float[] vector, double gain, boolean candidate) implements Serializable {
        /** A copy of an item kept elsewhere: it adds nothing and goes last. */
        Row asCopy() {
            return new Row(name, vector, 0, false);
        }
    }

    record Failure(String item, String error) implements Serializable { }

    /** An item sent to a partition, as one of its own or as a probe. */
    record Placed(Features.Described item, boolean own) implements Serializable { }

    /** One partition's outcome. */
    record Part(List<Row> rows, List<List<String>> groups) implements Serializable { }

    private LocalOrder() { }

    /**
     * The partition's items; {@code wanted} is the summary size asked for (0 for automatic). Each partition sends on the
     * leading own items of its order, at least as many as the summary asks for and four times its own knee: a partition of
     * similar items reaches its knee early, and the second round should choose from more than it keeps.
     */
    static Part of(Iterator<Placed> placed, JobOptions job, int wanted) {
        Pipeline.Options defaults = Pipeline.Options.defaults();
        Pipeline.Options o = new Pipeline.Options(job.summarySize(), job.maxDelegates(), Map.of(), defaults.loader(), defaults.features());
        List<Placed> items = new ArrayList<>();
        placed.forEachRemaining(items::add);
        items.sort(Comparator.comparing(p -> p.item().name())); // the shuffle's order varies; the run's should not
        List<String> names = items.stream().map(p -> p.item().name()).toList();
        List<ImageFeatures> features = items.stream().map(p -> p.item().features()).toList();
        Pipeline.Run run = Pipeline.summarise(names, features, List.of(), o, Progress.NONE);
        Result r = run.result();
        Map<String, float[]> ownVectors = new HashMap<>();
        for (Placed p : items) if (p.own()) ownVectors.put(p.item().name(), p.item().descriptor());
        // copies stand last with gain 0: none is a candidate
        int leading = Math.max(wanted, 4 * r.summarySize());
        List<Row> rows = new ArrayList<>(ownVectors.size());
        for (int rank = 0; rank < r.order().size(); rank++) {
            String name = r.order().get(rank);
            if (!ownVectors.containsKey(name)) continue;
            double gain = run.gains()[rank];
            rows.add(new Row(name, ownVectors.get(name), gain, rows.size() < leading && gain > 0));
        }
        return new Part(rows, r.duplicates().stream().map(g -> (List<String>) new ArrayList<>(g)).toList());
    }
}
