package dev.exemplar.spark;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.Kernels;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first round, on one partition: the engine's whole single-machine run (neighbours, scene verification, greedy
 * order, near-duplicate groups) over the partition's own items and the probes of its neighbours' items near its
 * boundary. Probes take part so that scenes and copies across the boundary are seen; only the partition's own items
 * are ordered here. What leaves the partition is small: each own item's vector and local marginal gain, which items
 * are candidates for the second round and how many items each stands for, the similarities verification judged between
 * them, and the groups (which may hold probes).
 */
final class LocalOrder {
    /**
     * An item as the later rounds see it: its feature row, its gain in its partition's order, whether it goes on, and
     * (for a candidate) how many items it stands for.
     */
    record Row(String name, float[] vector, double gain, boolean candidate, double mass) implements Serializable {
        /** A copy of an item kept elsewhere: it adds nothing and goes last. */
        Row asCopy() {
            return new Row(name, vector, 0, false, 1);
        }
    }

    record Failure(String item, String error) implements Serializable { }

    /** An item sent to a partition, as one of its own or as a probe. */
    record Placed(Features.Described item, boolean own) implements Serializable { }

    /**
     * A similarity scene verification set in a partition's graph: item's neighbour other, judged one scene (raised) or
     * two look-alikes (lowered). The second round, which sees only vectors, takes these for the candidates.
     */
    record Judged(String item, String other, float similarity) implements Serializable { }

    /** One partition's outcome. */
    record Part(List<Row> rows, List<List<String>> groups, List<Judged> judged) implements Serializable { }

    /** A judged similarity differs from the vectors' own cosine by more than rounding. */
    static final double JUDGED = 1e-3;

    private LocalOrder() { }

    /**
     * The partition's items; {@code wanted} is the summary size asked for (0 for automatic). Each partition sends on the
     * leading own items of its order, at least as many as the summary asks for and four times its own knee: a partition of
     * similar items reaches its knee early, and the second round should choose from more than it keeps.
     */
    static Part of(Iterator<Placed> placed, JobOptions job, int wanted) {
        Pipeline.Options defaults = Pipeline.Options.defaults();
        List<Placed> items = new ArrayList<>();
        placed.forEachRemaining(items::add);
        // the engine joins the embeddings with the descriptors itself, comparing an item without one by its descriptor alone
        Map<String, float[]> embeddings = new HashMap<>();
        for (Placed p : items) if (p.item().embedding() != null) embeddings.put(p.item().name(), p.item().embedding());
        Pipeline.Options o = new Pipeline.Options(job.summarySize(), job.maxDelegates(), embeddings, defaults.loader(), defaults.features());
        items.sort(Comparator.comparing(p -> p.item().name())); // the shuffle's order varies; the run's should not
        List<String> names = items.stream().map(p -> p.item().name()).toList();
        List<ImageFeatures> features = items.stream().map(p -> p.item().features()).toList();
        Pipeline.Run run = Pipeline.summarise(names, features, List.of(), o, Progress.NONE);
        Result r = run.result();
        Map<String, float[]> ownVectors = new HashMap<>(), vectors = new HashMap<>();
        for (Placed p : items) {
            float[] row = p.item().row();
            vectors.put(p.item().name(), row);
            if (p.own()) ownVectors.put(p.item().name(), row);
        }
        // copies stand last with gain 0: none is a candidate
        int leading = Math.max(wanted, 4 * r.summarySize());
        List<Row> rows = new ArrayList<>(ownVectors.size());
        for (int rank = 0; rank < r.order().size(); rank++) {
            String name = r.order().get(rank);
            if (!ownVectors.containsKey(name)) continue;
            double gain = run.gains()[rank];
            rows.add(new Row(name, ownVectors.get(name), gain, rows.size() < leading && gain > 0, 1));
        }
        rows = withMass(rows, r.order(), run.neighbours());
        Set<String> sent = new HashSet<>(vectors.keySet());
        for (Row row : rows) if (!row.candidate()) sent.remove(row.name());
        return new Part(rows, r.duplicates().stream().map(g -> (List<String>) new ArrayList<>(g)).toList(),
                judged(r.order(), run.neighbours(), vectors, sent));
    }

    /**
     * The candidates' masses: each stands for itself and for the partition's other own items whose most similar
     * candidate in the partition's graph it is (a weighted core-set, as in CRAIG: Mirzasoleiman, Bilmes and Leskovec,
     * ICML 2020), so the second round prefers the candidate that represents many items to one that represents few.
     */
    static List<Row> withMass(List<Row> rows, List<String> order, Pipeline.Neighbours graph) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) rank.put(order.get(i), i);
        Map<String, Integer> represented = new HashMap<>();
        Set<String> candidates = new HashSet<>();
        for (Row row : rows) if (row.candidate()) candidates.add(row.name());
        int k = graph.degree();
        for (Row row : rows) {
            if (row.candidate()) continue;
            int a = rank.get(row.name());
            for (int t = 0; t < k; t++) {
                String near = order.get(graph.ids()[a * k + t]);
                if (candidates.contains(near)) {
                    represented.merge(near, 1, Integer::sum);
                    break;
                }
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(row.candidate() ? new Row(row.name(), row.vector(), row.gain(), true, 1 + represented.getOrDefault(row.name(), 0)) : row);
        }
        return out;
    }

    /**
     * The pairs among the items that may reach the second round (own candidates and probes, which may be candidates
     * in their own partition) whose similarity in the partition's graph is not their vectors' cosine: scene
     * verification's judgements. At most a few per photograph.
     */
    static List<Judged> judged(List<String> order, Pipeline.Neighbours graph, Map<String, float[]> vectors, Set<String> sent) {
        List<Judged> out = new ArrayList<>();
        int k = graph.degree();
        for (int a = 0; a < order.size(); a++) {
            String item = order.get(a);
            if (!sent.contains(item)) continue;
            for (int t = 0; t < k; t++) {
                String other = order.get(graph.ids()[a * k + t]);
                float s = graph.similarities()[a * k + t];
                if (sent.contains(other) && !other.equals(item) && Math.abs(s - Kernels.dot(vectors.get(item), vectors.get(other))) > JUDGED) {
                    out.add(new Judged(item, other, s));
                }
            }
        }
        return out;
    }
}
