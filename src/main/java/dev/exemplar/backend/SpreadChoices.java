package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.propagation.AdaptiveQueue;
import dev.exemplar.propagation.GraphSpreading;
import dev.exemplar.propagation.LabelVote;
import dev.exemplar.store.OrderStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Single-choice labels spread over a project's stored neighbour graph to every task, delegates and
 * constituents alike, as {@code simulate} measures them ({@code propagation.Simulation}): the labels
 * people gave, and what each constituent's labelled links vote for, go to {@link GraphSpreading}.
 */
final class SpreadChoices {
    /**
     * The value spread to an unlabelled task for one control, its confidence, and the labelled task it
     * most plainly came from (the nearest of its neighbours with that value; null when none is).
     */
    record Choice(String value, double confidence, Long source) { }

    private final List<Long> tasks;
    private final int degree;
    private final int[] neighbours;
    private final float[] similarities;

    private SpreadChoices(List<Long> tasks, int degree, int[] neighbours, float[] similarities) {
        this.tasks = tasks;
        this.degree = degree;
        this.neighbours = neighbours;
        this.similarities = similarities;
    }

    /**
     * The stored graph by position in rank order. A neighbour deleted since the order was written is
     * dropped from its lists, which are filled up at the end with the item itself: the spreading ignores
     * such an edge, and the next sync writes the graph afresh.
     */
    static SpreadChoices of(OrderStore.StoredGraph stored) {
        List<Long> tasks = stored.tasks();
        int n = tasks.size(), degree = stored.graph().degree();
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < n; i++) position.put(tasks.get(i), i);
        int[] ids = new int[n * degree];
        float[] sims = new float[n * degree];
        for (int i = 0; i < n; i++) {
            int kept = 0;
            for (int t = 0; t < degree; t++) {
                Integer j = position.get(stored.graph().neighbours()[i * degree + t]);
                if (j == null) continue;
                ids[i * degree + kept] = j;
                sims[i * degree + kept++] = stored.graph().similarities()[i * degree + t];
            }
            for (; kept < degree; kept++) ids[i * degree + kept] = i;
        }
        return new SpreadChoices(tasks, degree, ids, sims);
    }

    /**
     * Per unlabelled task a label reached, the value spread to it for this single-choice control.
     * {@code results}: every labelled task's annotation results by control name; {@code sources}: each
     * constituent's links and nearest delegates, for its link vote.
     */
    Map<Long, Choice> spread(LabelConfig.Control control, Map<Long, Map<String, List<JsonNode>>> results,
                             Map<Long, List<OrderStore.Source>> sources) {
        int n = tasks.size();
        int[] known = new int[n];
        Arrays.fill(known, -1);
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) { // indices in rank order: the same annotations give the same numbering
            String value = majority(control, results.getOrDefault(tasks.get(i), Map.of()).getOrDefault(control.name(), List.of()));
            if (value == null) continue;
            known[i] = index.computeIfAbsent(value, v -> {
                names.add(v);
                return names.size() - 1;
            });
        }
        if (names.isEmpty()) return Map.of();
        int[] linkVote = new int[n];
        Arrays.fill(linkVote, -1);
        for (int i = 0; i < n; i++) {
            List<OrderStore.Source> near = sources.getOrDefault(tasks.get(i), List.of());
            if (near.isEmpty() || known[i] >= 0) continue;
            List<LabelVote.Source> voters = LabelSpreading.voters(near);
            Optional<LabelVote.Proposal> vote = LabelVote.propose(voters, LabelSpreading.votes(control, voters, results), false);
            // only a vote of its links, as the engine's confidence was fitted on
            if (vote.isPresent() && vote.get().linked()) linkVote[i] = index.getOrDefault(vote.get().values().get(0), -1);
        }
        GraphSpreading.Spread spread = GraphSpreading.spread(degree, neighbours, similarities, known, linkVote);
        Map<Long, Choice> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int label = spread.labels()[i];
            if (known[i] >= 0 || label < 0) continue;
            out.put(tasks.get(i), new Choice(names.get(label), spread.confidence()[i], nearestWith(i, label, known)));
        }
        return out;
    }

    /**
     * The next {@code count} tasks to label among the {@code candidates}, as {@link AdaptiveQueue} orders them:
     * {@code spread} gives the confidence of the label spread to each unlabelled task (0 where none reached).
     */
    List<Long> next(Map<Long, Choice> spread, Set<Long> labelled, Set<Long> candidates, int count) {
        int n = tasks.size();
        double[] confidence = new double[n];
        boolean[] open = new boolean[n];
        for (int i = 0; i < n; i++) {
            long t = tasks.get(i);
            if (labelled.contains(t)) {
                confidence[i] = 1;
                continue;
            }
            Choice c = spread.get(t);
            confidence[i] = c == null ? 0 : c.confidence();
            open[i] = candidates.contains(t);
        }
        int[] picks = AdaptiveQueue.next(degree, neighbours, similarities, confidence, open, n, count);
        List<Long> out = new ArrayList<>(picks.length);
        for (int i : picks) out.add(tasks.get(i));
        return out;
    }

    /** The nearest of item i's neighbours that people gave this label, or null. */
    private Long nearestWith(int i, int label, int[] known) {
        for (int t = 0; t < degree; t++) {
            int j = neighbours[i * degree + t];
            if (j != i && known[j] == label) return tasks.get(j);
        }
        return null;
    }

    /**
     * The value most of a task's annotations chose for the control, ties to the one chosen first; null when
     * none chose one.
     */
    static String majority(LabelConfig.Control control, List<JsonNode> items) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonNode item : items) {
            Set<String> values = LabelSpreading.values(control, item);
            for (String v : values) counts.merge(v, 1, Integer::sum);
        }
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }
}
