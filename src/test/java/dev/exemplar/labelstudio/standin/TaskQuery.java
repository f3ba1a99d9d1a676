package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.standin.StandInState.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Data Manager filtering and ordering (LS {@code data_manager/managers.py} and
 * {@code functions.py}, PROTOCOL B.6).
 *
 * <p>Filters: only items named {@code filter:tasks:<column>} apply; items with a null value are
 * skipped; {@code conjunction} is {@code and} or {@code or}. Ordering: only {@code ordering[0]}
 * counts, {@code -} means descending, {@code tasks:}/{@code filter:} prefixes are stripped. A
 * {@code data.<key>} column is ordered as text (LS's {@code KeyTextTransform}), unless the view's
 * {@code columnsDisplayType["tasks:data.<key>"]} is {@code "Number"}; missing values sort last;
 * ties and no ordering fall back to id order.
 *
 * <p>Data fields added after import: LS filters and orders with JSON look-ups on the stored
 * {@code task.data}, so a key written later by {@code PATCH /api/tasks/{id}} filters and orders
 * exactly like an imported one. What LS learns at import time is only the list of data columns
 * ({@code GET /api/dm/columns}); the stand-in likewise extends that list on import and not on
 * PATCH. Task {@code meta} is not a column and cannot be filtered or ordered.
 */
final class TaskQuery {
    private final StandInState s;
    private final Serializers ser;

    TaskQuery(StandInState state, Serializers ser) {
        this.s = state;
        this.ser = ser;
    }

    /** Filters, then orders, the given tasks. {@code filters}/{@code ordering} may be missing nodes. */
    List<Task> apply(List<Task> tasks, JsonNode filters, JsonNode ordering, JsonNode columnsDisplayType) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) if (matches(t, filters)) out.add(t);
        out.sort(comparator(ordering, columnsDisplayType));
        return out;
    }

    /** {@code selectedItems}: {@code {"all": false, "included": [...]}} or {@code {"all": true, "excluded": [...]}}. */
    static List<Task> selected(List<Task> tasks, JsonNode selectedItems) {
        if (selectedItems == null || !selectedItems.isObject()) return tasks;
        boolean all = selectedItems.path("all").asBoolean(true);
        List<Long> ids = new ArrayList<>();
        selectedItems.path(all ? "excluded" : "included").forEach(n -> ids.add(n.asLong()));
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) if (all != ids.contains(t.id)) out.add(t);
        return out;
    }

    boolean matches(Task t, JsonNode filters) {
        if (filters == null || !filters.isObject()) return true;
        boolean or = "or".equalsIgnoreCase(filters.path("conjunction").asText("and"));
        boolean any = false;
        boolean all = true;
        boolean applied = false;
        for (JsonNode item : filters.path("items")) {
            String name = item.path("filter").asText("");
            if (!name.startsWith("filter:tasks:")) continue;
            JsonNode value = item.get("value");
            if (value == null || value.isNull()) continue;
            applied = true;
            boolean ok = matchItem(t, name.substring("filter:tasks:".length()), item.path("operator").asText(),
                    item.path("type").asText("String"), value);
            any |= ok;
            all &= ok;
        }
        if (!applied) return true;
        return or ? any : all;
    }

    private boolean matchItem(Task t, String column, String op, String type, JsonNode value) {
        JsonNode field = column(t, column);
        boolean missing = field == null || field.isNull() || field.isMissingNode();
        if (op.equals("empty")) {
            boolean empty = missing || (field.isTextual() && field.asText().isEmpty());
            return value.asBoolean() == empty;
        }
        boolean number = type.equals("Number");
        if (column.equals("predictions_model_versions") && (op.equals("contains") || op.equals("not_contains"))) {
            // LS data_manager/managers.py iterates over the value: a list gives its items, a plain string its
            // characters; a task matches when one of its predictions' versions contains one of them
            List<String> parts = new ArrayList<>();
            if (value.isArray()) value.forEach(v -> parts.add(text(v)));
            else text(value).codePoints().forEach(c -> parts.add(new String(Character.toChars(c))));
            boolean any = s.predictionsOf(t.id).stream().anyMatch(p -> parts.stream()
                    .anyMatch(v -> p.modelVersion.toLowerCase(Locale.ROOT).contains(v.toLowerCase(Locale.ROOT))));
            return op.equals("contains") == any;
        }
        switch (op) {
            case "equal":
                if (missing) return false;
                return number ? num(field) != null && num(value) != null && num(field).doubleValue() == num(value).doubleValue()
                        : text(field).equals(text(value));
            case "not_equal":
                if (missing) return true;
                return number ? num(field) == null || num(value) == null || num(field).doubleValue() != num(value).doubleValue()
                        : !text(field).equals(text(value));
            case "contains":
                return !missing && text(field).toLowerCase(Locale.ROOT).contains(text(value).toLowerCase(Locale.ROOT));
            case "not_contains":
                return missing || !text(field).toLowerCase(Locale.ROOT).contains(text(value).toLowerCase(Locale.ROOT));
            case "regex":
                return !missing && Pattern.compile(text(value)).matcher(text(field)).find();
            case "less": case "greater": case "less_or_equal": case "greater_or_equal": {
                if (missing) return false;
                int c = compare(field, value, number);
                return switch (op) {
                    case "less" -> c < 0;
                    case "greater" -> c > 0;
                    case "less_or_equal" -> c <= 0;
                    default -> c >= 0;
                };
            }
            case "in": case "not_in": {
                boolean inside = !missing && compare(field, value.path("min"), number) >= 0 && compare(field, value.path("max"), number) <= 0;
                return op.equals("in") == inside;
            }
            case "in_list": case "not_in_list": {
                boolean inside = false;
                if (!missing) for (JsonNode v : value) inside |= number ? compare(field, v, true) == 0 : text(field).equals(text(v));
                return op.equals("in_list") == inside;
            }
            default:
                return true; // unknown operators do not narrow the list
        }
    }

    private static int compare(JsonNode a, JsonNode b, boolean number) {
        if (number) {
            Double x = num(a), y = num(b);
            if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
            return Double.compare(x, y);
        }
        return text(a).compareTo(text(b));
    }

    /** A column's value: {@code data.<key>} from the stored data, or a system column. */
    JsonNode column(Task t, String column) {
        if (column.startsWith("data.")) return t.data.get(column.substring(5));
        var f = StandInState.JSON.getNodeFactory();
        return switch (column) {
            case "id" -> f.numberNode(t.id);
            case "inner_id" -> f.numberNode(t.innerId);
            case "total_annotations" -> f.numberNode(s.totalAnnotations(t.id));
            case "cancelled_annotations" -> f.numberNode(s.cancelledAnnotations(t.id));
            case "total_predictions" -> f.numberNode(s.predictionsOf(t.id).size());
            case "predictions_score" -> {
                Double v = ser.predictionsScore(t);
                yield v == null ? f.nullNode() : f.numberNode(v);
            }
            case "predictions_model_versions" -> {
                StringBuilder sb = new StringBuilder();
                s.predictionsOf(t.id).forEach(p -> sb.append(p.modelVersion).append('\n'));
                yield f.textNode(sb.toString());
            }
            case "created_at" -> f.textNode(Serializers.ts(t.createdAt));
            case "updated_at" -> f.textNode(Serializers.ts(t.updatedAt));
            case "is_labeled" -> f.booleanNode(s.isLabeled(t));
            default -> null;
        };
    }

    Comparator<Task> comparator(JsonNode ordering, JsonNode columnsDisplayType) {
        Comparator<Task> byId = Comparator.comparingLong(t -> t.id);
        if (ordering == null || !ordering.isArray() || ordering.isEmpty()) return byId;
        String key = ordering.get(0).asText("");
        boolean desc = key.startsWith("-");
        if (desc) key = key.substring(1);
        String display = columnsDisplayType == null ? "" : columnsDisplayType.path(key).asText("");
        key = key.replaceFirst("^filter:", "").replaceFirst("^tasks:", "");
        String column = key;
        boolean numeric = !column.startsWith("data.") || display.equals("Number");
        Comparator<Task> cmp = (a, b) -> {
            JsonNode x = column(a, column), y = column(b, column);
            boolean xn = x == null || x.isNull(), yn = y == null || y.isNull();
            if (xn || yn) return xn == yn ? 0 : (xn ? 1 : -1); // missing last, whatever the direction
            int c = numeric && num(x) != null && num(y) != null ? Double.compare(num(x), num(y)) : text(x).compareTo(text(y));
            return desc ? -c : c;
        };
        return cmp.thenComparing(byId);
    }

    /** The text LS compares: a JSON string's content, or the JSON text of anything else (e.g. "40.0"). */
    static String text(JsonNode n) {
        if (n == null || n.isNull()) return "";
        return n.isTextual() ? n.asText() : n.toString();
    }

    static Double num(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isNumber()) return n.asDouble();
        try {
            return Double.parseDouble(n.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
