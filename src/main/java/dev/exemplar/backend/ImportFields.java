package dev.exemplar.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.summary.Result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The rank and role a sync writes, for a result whose items are not Label Studio tasks yet: a file to import carries
 * the very values a first sync of the same result writes, so the views the backend makes select and order its tasks
 * alike.
 */
public final class ImportFields {
    public static final String RANK = ProjectSync.RANK, ROLE = ProjectSync.ROLE, DELEGATES = ProjectSync.DELEGATES,
            ANNOTATOR = ProjectSync.ANNOTATOR;

    /** An item's rank key ({@code 000001.000}, text) and role ({@code delegate} or {@code constituent}). */
    public record Fields(String rank, String role) { }

    private ImportFields() { }

    /** The fields of every item of the order, by item name, in order. */
    public static Map<String, Fields> of(Result r) {
        // the sync names tasks by id: positions in the order stand in for them, so the sync's own code decides
        List<String> positions = IntStream.range(0, r.order().size()).mapToObj(Integer::toString).toList();
        Result byPosition = new Result(positions, r.summarySize(), Map.of(), List.of(), List.of());
        // a first sync: no queue front, no task carries a key yet, none was sent back, no annotators
        Map<Long, ObjectNode> wanted = QueueFields.changes(byPosition, List.of(), Map.of(), Set.of(), List.of()).changed();
        Map<String, Fields> out = new LinkedHashMap<>();
        for (int i = 0; i < r.order().size(); i++) {
            ObjectNode f = wanted.get((long) i);
            out.put(r.order().get(i), new Fields(f.get(RANK).asText(), f.get(ROLE).asText()));
        }
        return out;
    }
}
