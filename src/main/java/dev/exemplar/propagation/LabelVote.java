package dev.exemplar.propagation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Combines the labels people gave a constituent's delegates into one propagated label and a
 * confidence. The constituent's links come first: they are the delegates that together represent
 * it. When none of them is labelled yet, its nearest labelled delegate among those it was linked
 * from stands in, with a confidence that says how much less that is worth.
 */
public final class LabelVote {
    /**
     * A delegate a constituent may take its label from: its link weight (0 when it is only one of
     * the nearest delegates, not a link) and its cosine similarity to the constituent.
     */
    public record Source(long delegate, double linkWeight, double similarity) { }

    /**
     * The propagated values (one for a single choice, those with a weighted share of at least a
     * half for multiple choices), every value's weighted share, the calibrated confidence, and the
     * delegates the vote drew on with their weights.
     */
    public record Proposal(List<String> values, Map<String, Double> shares, double confidence,
                           Map<Long, Double> sources, boolean linked) { }

    /** Weight of a non-link source: similarity sharpened, so the nearest one dominates. */
    private static final double SHARPNESS = 16;

    private LabelVote() { }

    /**
     * {@code labels}: per labelled delegate, the values chosen for one control tag (by every person
     * who labelled it, together); delegates absent from the map are not labelled. Empty when no
     * source is labelled.
     */
    public static Optional<Proposal> propose(List<Source> sources, Map<Long, List<Set<String>>> labels, boolean multiple) {
        List<Source> linked = new ArrayList<>(), near = new ArrayList<>();
        for (Source s : sources) {
            if (!labels.containsKey(s.delegate())) continue;
            (s.linkWeight() > 0 ? linked : near).add(s);
        }
        boolean useLinks = !linked.isEmpty();
        List<Source> voters = useLinks ? linked : near;
        if (voters.isEmpty()) return Optional.empty();
        Map<Long, Double> weights = new LinkedHashMap<>();
        double total = 0, best = 0;
        for (Source s : voters) {
            double w = useLinks ? s.linkWeight() : Math.pow(Math.max(s.similarity(), 1e-6), SHARPNESS);
            weights.put(s.delegate(), w);
            total += w;
            best = Math.max(best, s.similarity());
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Source s : voters) {
            List<Set<String>> byPerson = labels.get(s.delegate());
            double w = weights.get(s.delegate()) / total / byPerson.size();
            for (Set<String> values : byPerson) for (String v : values) shares.merge(v, w, Double::sum);
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(shares.entrySet());
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> values = new ArrayList<>();
        double share;
        if (multiple) {
            // each value stands alone: kept when the delegates behind half the weight chose it
            for (Map.Entry<String, Double> e : ranked) if (e.getValue() >= 0.5 - 1e-9) values.add(e.getKey());
            if (values.isEmpty()) return Optional.empty();
            share = shares.get(values.get(values.size() - 1));
        } else {
            values.add(ranked.get(0).getKey());
            share = ranked.get(0).getValue();
        }
        double linkCover = 0;
        if (useLinks) for (Source s : voters) linkCover += s.linkWeight();
        int ahead = 0; // unlabelled delegates nearer than every voter: the constituent may well be theirs
        for (Source s : sources) if (!labels.containsKey(s.delegate()) && s.similarity() > best) ahead++;
        double confidence = Confidence.of(useLinks, share, best, linkCover, ahead);
        Map<String, Double> rounded = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : ranked) rounded.put(e.getKey(), Math.round(e.getValue() * 1e4) / 1e4);
        Map<Long, Double> used = new LinkedHashMap<>();
        for (Map.Entry<Long, Double> e : weights.entrySet()) used.put(e.getKey(), Math.round(e.getValue() / total * 1e4) / 1e4);
        return Optional.of(new Proposal(List.copyOf(values), rounded, confidence, used, useLinks));
    }
}
