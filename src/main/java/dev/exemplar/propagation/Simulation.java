package dev.exemplar.propagation;

import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Propagation as a labelling team would meet it, on a sample whose true labels are known: the queue
 * (the summary order) is labelled from its start with the truth, the labels are spread over the
 * neighbour graph to every other item, delegates and constituents alike ({@link GraphSpreading}, which
 * also weighs what each constituent's labelled links vote for), and the share of the project people
 * must still label by hand is counted. That share, the effort, is the labelled share plus every item
 * left without a propagated label confident enough to be trusted: E = 1 - (confidently propagated
 * items) / n, where a label is trusted from the lowest confidence at which the labels at or above it
 * were right at least as often as the target accuracy asks.
 */
public final class Simulation {
    /** Fewer labels than this at or above a confidence say nothing about its accuracy. */
    public static final int MIN_LABELS_TO_JUDGE = 20;

    /** One propagated label: on which item (by position in the order), whether a delegate, its confidence, whether it was right. */
    public record Observation(int item, boolean delegate, double confidence, boolean right) { }

    /** Among the propagated labels with at least this confidence: how many, their share of the unlabelled items, how many right. */
    public record Point(double confidence, int labels, double coverage, double accuracy) { }

    /**
     * One share of the queue labelled: {@code labelled} items of {@code items} with a known label, the
     * propagated labels by confidence, the lowest confidence at which they meet the target (NaN when no
     * confidence does) with its coverage and accuracy, how many delegates and constituents that trusts, the
     * effort, and whether the confidence meant what it said (at every confidence with
     * {@value #MIN_LABELS_TO_JUDGE} or more labels, at least that share right).
     */
    public record Outcome(int percent, int items, int labelled, List<Observation> observations, List<Point> curve,
                          double recommendedConfidence, double coverage, double accuracy, int trustedDelegates,
                          int trustedConstituents, double effort, boolean calibrated) { }

    private Simulation() { }

    /**
     * @param graph  the neighbour graph the order was built on, by position in the order
     * @param truth  each item's true label, or null or empty where it is not known: such items are neither
     *               labelled nor scored, and do not count in the effort
     * @param target the accuracy a trusted label must reach, e.g. 0.95
     * @param queue  how the simulated annotator picks what to label
     */
    public static List<Outcome> run(Result result, Map<String, List<Pipeline.Candidate>> candidates, Pipeline.Neighbours graph,
                                    Function<String, String> truth, int[] percents, double target, QueueOrder queue) {
        List<Outcome> out = new ArrayList<>();
        for (int p : percents) out.add(outcome(result, candidates, graph, truth, p, target, queue));
        return out;
    }

    /** The outcome with the least effort (the smallest share labelled among equals). */
    public static Outcome best(List<Outcome> outcomes) {
        Outcome best = null;
        for (Outcome o : outcomes) if (best == null || o.effort() < best.effort() - 1e-12) best = o;
        return best;
    }

    /**
     * {@code percent}% of the items with a known label, labelled: per item (by position in the order) the index of its
     * label or -1, what its labelled links vote for or -1, the labels' names by index, and how many items have a known label.
     */
    record Labelling(int[] known, int[] linkVote, List<String> names, int items) {
        int labelled() {
            int c = 0;
            for (int l : known) if (l >= 0) c++;
            return c;
        }
    }

    static Labelling labelling(Result r, Map<String, List<Pipeline.Candidate>> candidates, Pipeline.Neighbours graph,
                               Function<String, String> truth, int percent, QueueOrder queue) {
        List<String> order = r.order();
        int n = order.size();
        boolean[] open = new boolean[n]; // items the annotator can label (their label is known) and has not yet
        int items = 0;
        for (int i = 0; i < n; i++) {
            open[i] = labelOf(truth, order.get(i)) != null;
            if (open[i]) items++;
        }
        int want = (int) Math.ceil(items * percent / 100.0), batch = AdaptiveQueue.batch(items);
        boolean[] labelled = new boolean[n];
        int done = 0;
        // the first batch, and with the summary queue all, in queue order; an item whose label is not known is passed over
        int first = queue == QueueOrder.SUMMARY ? want : Math.min(want, batch);
        for (int i = 0; i < n && done < first; i++) {
            if (!open[i]) continue;
            labelled[i] = true;
            open[i] = false;
            done++;
        }
        while (done < want) {
            Labelling l = labelled(r, candidates, truth, labelled, items);
            GraphSpreading.Spread spread = GraphSpreading.spread(graph.degree(), graph.ids(), graph.similarities(), l.known(), l.linkVote());
            for (int i : AdaptiveQueue.next(graph.degree(), graph.ids(), graph.similarities(), spread.confidence(), open, r.summarySize(),
                    Math.min(batch, want - done))) {
                labelled[i] = true;
                open[i] = false;
                done++;
            }
        }
        return labelled(r, candidates, truth, labelled, items);
    }

    /** The labelling where these items (by position in the order) are labelled with the truth. */
    private static Labelling labelled(Result r, Map<String, List<Pipeline.Candidate>> candidates, Function<String, String> truth,
                                      boolean[] labelled, int items) {
        List<String> order = r.order();
        int n = order.size();
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < n; i++) ids.put(order.get(i), (long) i);
        int[] known = new int[n];
        Arrays.fill(known, -1);
        Map<String, Integer> index = new HashMap<>();
        List<String> names = new ArrayList<>();
        Map<Long, List<Set<String>>> labels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (!labelled[i]) continue;
            String label = labelOf(truth, order.get(i));
            labels.put((long) i, List.of(Set.of(label)));
            known[i] = index.computeIfAbsent(label, x -> {
                names.add(x);
                return names.size() - 1;
            });
        }
        int[] linkVote = new int[n];
        Arrays.fill(linkVote, -1);
        for (int c = r.summarySize(); c < n; c++) {
            String item = order.get(c);
            List<LabelVote.Source> sources = sources(r.links().getOrDefault(item, List.of()),
                    candidates.getOrDefault(item, List.of()), ids);
            Optional<LabelVote.Proposal> vote = LabelVote.propose(sources, labels, false);
            if (vote.isPresent() && vote.get().linked()) linkVote[c] = index.get(vote.get().values().get(0));
        }
        return new Labelling(known, linkVote, List.copyOf(names), items);
    }

    static Outcome outcome(Result r, Map<String, List<Pipeline.Candidate>> candidates, Pipeline.Neighbours graph,
                           Function<String, String> truth, int percent, double target, QueueOrder queue) {
        Labelling l = labelling(r, candidates, graph, truth, percent, queue);
        GraphSpreading.Spread spread = GraphSpreading.spread(graph.degree(), graph.ids(), graph.similarities(), l.known(), l.linkVote());
        List<Observation> seen = new ArrayList<>();
        for (int i = 0; i < l.known().length; i++) {
            String right = labelOf(truth, r.order().get(i));
            if (right == null || l.known()[i] >= 0 || spread.labels()[i] < 0) continue;
            seen.add(new Observation(i, i < r.summarySize(), spread.confidence()[i], l.names().get(spread.labels()[i]).equals(right)));
        }
        return judge(percent, l.items(), l.labelled(), seen, target);
    }

    private static String labelOf(Function<String, String> truth, String item) {
        String label = truth.apply(item);
        return label == null || label.isEmpty() ? null : label;
    }

    /** The sources a constituent votes from: its nearest delegates, with the link weight of those it is linked to. */
    public static List<LabelVote.Source> sources(List<Result.Link> links, List<Pipeline.Candidate> near, Map<String, Long> ids) {
        Map<String, Double> weight = new HashMap<>();
        for (Result.Link l : links) weight.put(l.delegate(), l.weight());
        List<LabelVote.Source> out = new ArrayList<>();
        for (Pipeline.Candidate c : near) {
            Long id = ids.get(c.delegate());
            if (id != null) out.add(new LabelVote.Source(id, weight.getOrDefault(c.delegate(), 0.0), c.similarity()));
        }
        return out;
    }

    /** Coverage and accuracy at each confidence the labels took, the recommended confidence and the effort. */
    public static Outcome judge(int percent, int items, int labelled, List<Observation> seen, double target) {
        int unlabelled = Math.max(1, items - labelled);
        // one sweep from the most confident down: at each confidence taken, the labels at or above it so far
        List<Observation> byConfidence = new ArrayList<>(seen);
        byConfidence.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
        List<Point> curve = new ArrayList<>();
        int n = 0, right = 0;
        for (int k = 0; k < byConfidence.size(); k++) {
            Observation o = byConfidence.get(k);
            n++;
            if (o.right()) right++;
            if (k + 1 < byConfidence.size() && byConfidence.get(k + 1).confidence() == o.confidence()) continue;
            curve.add(new Point(o.confidence(), n, n / (double) unlabelled, right / (double) n));
        }
        Collections.reverse(curve);
        double recommended = Double.NaN, coverage = 0, accuracy = Double.NaN;
        boolean calibrated = true;
        for (Point p : curve) {
            if (p.labels() >= MIN_LABELS_TO_JUDGE && p.accuracy() < p.confidence()) calibrated = false;
            // the lowest confidence that meets the target with enough labels to say so
            if (Double.isNaN(recommended) && p.labels() >= MIN_LABELS_TO_JUDGE && p.accuracy() >= target) {
                recommended = p.confidence();
                coverage = p.coverage();
                accuracy = p.accuracy();
            }
        }
        int delegates = 0, constituents = 0;
        if (!Double.isNaN(recommended)) {
            for (Observation o : seen) {
                if (o.confidence() < recommended) continue;
                if (o.delegate()) delegates++;
                else constituents++;
            }
        }
        double effort = items == 0 ? 1 : 1 - (delegates + constituents) / (double) items;
        return new Outcome(percent, items, labelled, List.copyOf(seen), List.copyOf(curve), recommended, coverage, accuracy,
                delegates, constituents, effort, calibrated);
    }
}
