package dev.exemplar.labelstudio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests made to Label Studio, by method and resource ({@code PATCH tasks}, {@code POST
 * import_predictions}...), for the backend's metrics: what a sync or a burst of labels cost
 * Label Studio. Shared by every client of one backend; thread-safe.
 */
public final class LabelStudioCalls {
    private record Key(String method, String resource) { }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String method, String path) {
        counts.computeIfAbsent(new Key(method, resource(path)), k -> new LongAdder()).increment();
    }

    /** How many requests of this method went to this resource so far. */
    public long count(String method, String resource) {
        LongAdder a = counts.get(new Key(method, resource));
        return a == null ? 0 : a.sum();
    }

    /** The counts in Prometheus' text format. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP exemplar_labelstudio_requests_total Requests made to Label Studio, by method and resource.\n");
        out.append("# TYPE exemplar_labelstudio_requests_total counter\n");
        counts.forEach((k, v) -> out.append("exemplar_labelstudio_requests_total{method=\"").append(k.method())
                .append("\",resource=\"").append(k.resource()).append("\"} ").append(v.sum()).append('\n'));
        return out.toString();
    }

    /**
     * A bounded name for an API path: {@code /api/tasks/7} is {@code tasks},
     * {@code /api/projects/3/import/predictions} is {@code import_predictions}; anything outside
     * {@code /api/} (images) is {@code media}.
     */
    static String resource(String path) {
        if (!path.startsWith("/api/")) return "media";
        List<String> names = new ArrayList<>();
        for (String p : path.substring(5).split("/")) if (!p.isEmpty() && !p.chars().allMatch(Character::isDigit)) names.add(p);
        // what belongs to one project or task is named by itself: import/predictions, annotations
        if (names.size() > 1 && (names.get(0).equals("projects") || names.get(0).equals("tasks"))) names.remove(0);
        String name = String.join("_", names).replace('-', '_');
        return name.isEmpty() ? "api" : name.length() > 40 ? name.substring(0, 40) : name;
    }
}
