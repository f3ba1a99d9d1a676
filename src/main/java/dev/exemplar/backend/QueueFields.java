package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.store.Role;
import dev.exemplar.summary.Result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.exemplar.backend.ProjectSync.ANNOTATOR;
import static dev.exemplar.backend.ProjectSync.DELEGATES;
import static dev.exemplar.backend.ProjectSync.RANK;
import static dev.exemplar.backend.ProjectSync.ROLE;

/**
 * The data fields that put delegates first in Label Studio's queue, as an order calls for them,
 * against what each task carries now: only tasks whose fields differ are to be written, so a new
 * order costs writes in proportion to what it changed, not to the project.
 *
 * <ul>
 *   <li>{@code exemplar_rank}: a {@link RankKeys rank key}; tasks that kept their place relative to
 *       the others keep their key;</li>
 *   <li>{@code exemplar_role}: {@code delegate} for the summary and for constituents a reviewer sent
 *       back to be labelled, else {@code constituent};</li>
 *   <li>{@code exemplar_delegates}: a constituent's linked delegates, strongest first;</li>
 *   <li>{@code exemplar_annotator}, with annotators only: whose queue a delegate is in. A delegate
 *       keeps its annotator while that person is on the list; the others go to whoever has fewest,
 *       in rank order, so that a new delegate does not move everyone after it to another queue.</li>
 * </ul>
 */
final class QueueFields {
    static final String DELEGATE = Role.DELEGATE.text(), CONSTITUENT = Role.CONSTITUENT.text();

    /** Numbers compare by value (1 equals 1.0 and a long 1), so a re-read value never looks changed. */
    private static final Comparator<JsonNode> SAME = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QueueFields() { }

    /** The fields to write, by task in rank order, and every ordered task's rank key once they are written. */
    record Wanted(Map<Long, ObjectNode> changed, Map<Long, String> keys) { }

    /**
     * The wanted fields of every task whose current data (by task id; absent for a task not read)
     * differs from them, in rank order. Rank keys follow the queue: the tasks of {@code front} that are
     * in the order first, then the order; roles follow the order.
     */
    static Wanted changes(Result r, List<Long> front, Map<Long, ObjectNode> current, Set<Long> rejected, List<String> annotators) {
        List<Long> order = r.order().stream().map(Long::valueOf).toList();
        Map<Long, String> currentKeys = new HashMap<>();
        for (long id : order) {
            JsonNode k = field(current.get(id), RANK);
            if (k != null && k.isTextual()) currentKeys.put(id, k.asText());
        }
        Map<Long, String> keys = RankKeys.assign(queue(order, front), currentKeys);
        Map<Long, String> queues = annotators.isEmpty() ? Map.of() : queues(order, r.summarySize(), current, annotators);

        Map<Long, ObjectNode> out = new LinkedHashMap<>();
        for (int rank = 0; rank < order.size(); rank++) {
            long id = order.get(rank);
            ObjectNode f = NODES.objectNode();
            f.put(RANK, keys.get(id));
            f.put(ROLE, rank < r.summarySize() || rejected.contains(id) ? DELEGATE : CONSTITUENT);
            ArrayNode ds = f.putArray(DELEGATES);
            for (Result.Link l : r.links().getOrDefault(Long.toString(id), List.of())) ds.add(Long.parseLong(l.delegate()));
            if (!annotators.isEmpty()) f.put(ANNOTATOR, queues.getOrDefault(id, ""));
            if (differs(f, current.get(id))) out.put(id, f);
        }
        return new Wanted(out, keys);
    }

    /** The queue: the tasks of {@code front} that are in the order, then the rest of the order. */
    static List<Long> queue(List<Long> order, List<Long> front) {
        if (front.isEmpty()) return order;
        Set<Long> ordered = new HashSet<>(order);
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (long t : front) if (ordered.contains(t)) out.add(t);
        out.addAll(order);
        return List.copyOf(out);
    }

    /** Annotator by delegate: kept where still listed, else the least loaded one, in rank order. */
    private static Map<Long, String> queues(List<Long> order, int summarySize, Map<Long, ObjectNode> current, List<String> annotators) {
        Map<String, Integer> load = new LinkedHashMap<>();
        annotators.forEach(a -> load.put(a, 0));
        Map<Long, String> out = new HashMap<>();
        List<Long> unassigned = new ArrayList<>();
        for (long id : order.subList(0, summarySize)) {
            JsonNode a = field(current.get(id), ANNOTATOR);
            if (a != null && load.containsKey(a.asText())) {
                out.put(id, a.asText());
                load.merge(a.asText(), 1, Integer::sum);
            } else {
                unassigned.add(id);
            }
        }
        for (long id : unassigned) {
            String least = annotators.get(0);
            for (String a : annotators) if (load.get(a) < load.get(least)) least = a;
            out.put(id, least);
            load.merge(least, 1, Integer::sum);
        }
        return out;
    }

    private static boolean differs(ObjectNode wanted, ObjectNode current) {
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode now = field(current, e.getKey());
            if (!e.getValue().equals(SAME, now == null ? NullNode.instance : now)) return true;
        }
        return false;
    }

    private static JsonNode field(ObjectNode data, String name) {
        return data == null ? null : data.get(name);
    }
}
