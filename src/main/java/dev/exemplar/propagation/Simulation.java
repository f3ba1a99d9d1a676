package dev.exemplar.propagation;

import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Propagation as a labelling team would meet it, on a sample whose true labels are known: the queue
 * (the summary order) is labelled from its start with the truth, each constituent gets the vote of its
 * delegates with the engine's confidence, and the share of the project people must still label by
 * hand is counted. That share, the effort, is the labelled share plus every item left without a
 * propagated label confident enough to be trusted: E = 1 - (confidently propagated items) / n, where a
 * label is trusted from the lowest confidence at which the labels at or above it were right at least
 * as often as the target accuracy asks.
 */
public final class Simulation {
    /** Fewer labels than this at or above a confidence say nothing about its accuracy. */
    public static final int MIN_LABELS_TO_JUDGE = 20;

    /** One propagated label: what the confidence model saw, the confidence, and whether it was right. */
    public record Observation(boolean linked, double share, double similarity, double cover, int ahead,
                              double confidence, boolean right) { }

    /** Among the propagated labels with at least this confidence: how many, their share of the unlabelled items, how many right. */
    public record Point(double confidence, int labels, double coverage, double accuracy) { }

    /**
     * One share of the queue labelled: {@code labelled} items of {@code items} with a known label, the
     * propagated labels by confidence, the lowest confidence at which they meet the target (NaN when no
     * confidence does) with its coverage and accuracy, the effort, and whether the confidence meant what it
     * said (at every confidence with {@value #MIN_LABELS_TO_JUDGE} or more labels, at least that share right).
     */
    public record Outcome(int percent, int items, int labelled, List<Observation> observations, List<Point> curve,
                          double recommendedConfidence, double coverage, double accuracy, double effort, boolean calibrated) { }

    private Simulation() { }

    /**
     * @param truth  each item's true label, or null or empty where it is not known: such items are neither
     *               labelled nor scored, and do not count in the effort
     * @param target the accuracy a trusted label must reach, e.g. 0.95
     */
    public static List<Outcome> run(Result result, Map<String, List<Pipeline.Candidate>> candidates,
                                    Function<String, String> truth, int[] percents, double target) {
        List<Outcome> out = new ArrayList<>();
        for (int p : percents) out.add(outcome(result, candidates, truth, p, target));
        return out;
    }

    /** The outcome with the least effort (the smallest share labelled among equals). */
    public static Outcome best(List<Outcome> outcomes) {
        Outcome best = null;
        for (Outcome o : outcomes) if (best == null || o.effort() < best.effort() - 1e-12) best = o;
        return best;
    }

    static Outcome outcome(Result r, Map<String, List<Pipeline.Candidate>> candidates, Function<String, String> truth,
                           int percent, double target) {
        List<String> order = r.order();
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < order.size(); i++) ids.put(order.get(i), (long) i);
        int known = 0;
        for (String item : order) if (labelOf(truth, item) != null) known++;
        int want = (int) Math.ceil(known * percent / 100.0);
        // the annotator works the queue in order; an item whose label is not known is passed over
        Map<Long, List<Set<String>>> labels = new HashMap<>();
        int i = 0;
        for (; i < order.size() && labels.size() < want; i++) {
            String label = labelOf(truth, order.get(i));
            if (label != null) labels.put((long) i, List.of(Set.of(label)));
        }
        List<Observation> seen = new ArrayList<>();
        for (int c = Math.max(i, r.summarySize()); c < order.size(); c++) {
            String item = order.get(c);
            String right = labelOf(truth, item);
            if (right == null) continue;
            Optional<Observation> o = observe(r.links().getOrDefault(item, List.of()),
                    candidates.getOrDefault(item, List.of()), ids, labels, right);
            o.ifPresent(seen::add);
        }
        return judge(percent, known, labels.size(), seen, target);
    }

    private static String labelOf(Function<String, String> truth, String item) {
        String label = truth.apply(item);
        return label == null || label.isEmpty() ? null : label;
    }

    /** A constituent's vote, as the backend makes it from its links and nearest delegates. */
    static Optional<Observation> observe(List<Result.Link> links, List<Pipeline.Candidate> near, Map<String, Long> ids,
                                         Map<Long, List<Set<String>>> labels, String right) {
        List<LabelVote.Source> sources = sources(links, near, ids);
        Optional<LabelVote.Proposal> p = LabelVote.propose(sources, labels, false);
        if (p.isEmpty()) return Optional.empty();
        LabelVote.Proposal v = p.get();
        double best = 0, cover = 0;
        for (LabelVote.Source s : sources) {
            if (!labels.containsKey(s.delegate())) continue;
            if (v.linked() == s.linkWeight() > 0) best = Math.max(best, s.similarity());
            cover += s.linkWeight();
        }
        int ahead = 0;
        for (LabelVote.Source s : sources) if (!labels.containsKey(s.delegate()) && s.similarity() > best) ahead++;
        String value = v.values().get(0);
        return Optional.of(new Observation(v.linked(), v.shares().get(value), best, cover, ahead, v.confidence(), value.equals(right)));
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
    static Outcome judge(int percent, int items, int labelled, List<Observation> seen, double target) {
        int unlabelled = Math.max(1, items - labelled);
        TreeSet<Double> levels = new TreeSet<>();
        for (Observation o : seen) levels.add(o.confidence());
        List<Point> curve = new ArrayList<>();
        double recommended = Double.NaN, coverage = 0, accuracy = Double.NaN;
        boolean calibrated = true;
        for (double c : levels) {
            int n = 0, right = 0;
            for (Observation o : seen) {
                if (o.confidence() < c) continue;
                n++;
                if (o.right()) right++;
            }
            double acc = right / (double) n;
            curve.add(new Point(c, n, n / (double) unlabelled, acc));
            if (n >= MIN_LABELS_TO_JUDGE && acc < c) calibrated = false;
            // the lowest confidence that meets the target with enough labels to say so
            if (Double.isNaN(recommended) && n >= MIN_LABELS_TO_JUDGE && acc >= target) {
                recommended = c;
                coverage = n / (double) unlabelled;
                accuracy = acc;
            }
        }
        double trusted = Double.isNaN(recommended) ? 0 : coverage * unlabelled;
        double effort = items == 0 ? 1 : 1 - trusted / items;
        return new Outcome(percent, items, labelled, List.copyOf(seen), List.copyOf(curve), recommended, coverage, accuracy,
                effort, calibrated);
    }
}
