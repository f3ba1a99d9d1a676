package dev.exemplar.backend;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Label Studio task each item of a result names. A result whose items are all whole numbers (made from a tasks
 * export) names tasks by id. Any other item names a task by, in this order: its image URL exactly; the end of the
 * image's path ({@code sub/a.jpg} matches {@code /data/local-files/?d=photos/sub/a.jpg}); its file name alone. The
 * first of these that names any task decides; where it names several, or where two items come to name one task, none
 * of them is matched, since guessing would put a rank on the wrong image.
 */
final class TaskMatch {
    /** Label Studio stores an upload as {@code <8 hex digits>-<file name>}. */
    private static final Pattern UPLOAD_PREFIX = Pattern.compile("^[0-9a-f]{8}-(.+)$");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,18}");

    /** How items are matched. */
    enum Kind { TASK_ID, IMAGE }

    /** An item that names no single task, and why. */
    record Ambiguous(String item, String why) { }

    /**
     * The task of each matched item (in the items' order), the items that name no task, the tasks no item names (by
     * id), and the items left unmatched because they are ambiguous.
     */
    record Outcome(Kind kind, Map<String, Long> taskOf, List<String> unmatchedItems, List<Long> unmatchedTasks, List<Ambiguous> ambiguous) { }

    private TaskMatch() { }

    /** Matches {@code items} to the tasks, given each task's image reference by task id (empty when it has none). */
    static Outcome of(Collection<String> items, Map<Long, String> imageOf) {
        Map<String, Long> taskOf = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        List<Ambiguous> ambiguous = new ArrayList<>();
        Kind kind = !items.isEmpty() && items.stream().allMatch(i -> WHOLE_NUMBER.matcher(i).matches()) ? Kind.TASK_ID : Kind.IMAGE;
        if (kind == Kind.TASK_ID) {
            for (String item : items) {
                long id = Long.parseLong(item);
                if (imageOf.containsKey(id)) taskOf.put(item, id);
                else unmatched.add(item);
            }
        } else {
            Map<String, Set<Long>> byUrl = new HashMap<>(), byEnding = new HashMap<>();
            imageOf.forEach((id, url) -> {
                if (url == null || url.isEmpty()) return;
                byUrl.computeIfAbsent(url, k -> new LinkedHashSet<>()).add(id);
                for (String ending : endings(url)) byEnding.computeIfAbsent(ending, k -> new LinkedHashSet<>()).add(id);
            });
            Map<Long, List<String>> claims = new LinkedHashMap<>();
            for (String item : items) {
                String path = trimmed(item);
                Set<Long> found = byUrl.getOrDefault(item, Set.of());
                if (found.isEmpty()) found = byEnding.getOrDefault(path, Set.of());
                if (found.isEmpty() && path.contains("/")) found = byEnding.getOrDefault(path.substring(path.lastIndexOf('/') + 1), Set.of());
                if (found.isEmpty()) unmatched.add(item);
                else if (found.size() > 1) ambiguous.add(new Ambiguous(item, "names " + found.size() + " tasks " + first(found, 3)));
                else claims.computeIfAbsent(found.iterator().next(), k -> new ArrayList<>()).add(item);
            }
            Set<String> claimedTwice = new HashSet<>();
            claims.forEach((task, by) -> {
                if (by.size() > 1) {
                    for (String item : by) ambiguous.add(new Ambiguous(item, "task " + task + " is also named by " + by.size() + " items"));
                    claimedTwice.addAll(by);
                }
            });
            // in the items' order
            Map<String, Long> one = new HashMap<>();
            claims.forEach((task, by) -> { if (by.size() == 1) one.put(by.get(0), task); });
            for (String item : items) if (one.containsKey(item) && !claimedTwice.contains(item)) taskOf.put(item, one.get(item));
        }
        Set<Long> named = new HashSet<>(taskOf.values());
        List<Long> unnamed = imageOf.keySet().stream().filter(id -> !named.contains(id)).sorted().toList();
        return new Outcome(kind, taskOf, unmatched, unnamed, ambiguous);
    }

    private static String first(Set<Long> ids, int n) {
        return ids.stream().limit(n).map(String::valueOf).toList() + (ids.size() > n ? "..." : "");
    }

    private static String trimmed(String item) {
        String s = item.replace('\\', '/');
        while (s.startsWith("./")) s = s.substring(2);
        while (s.startsWith("/")) s = s.substring(1);
        return s;
    }

    /**
     * Every ending of the image's path, in whole segments ({@code c.jpg}, {@code b/c.jpg}, {@code a/b/c.jpg}): the
     * path of a local-files URL is its {@code d} parameter; an upload's file name also counts without its prefix.
     */
    static List<String> endings(String url) {
        String path = path(url);
        List<String> out = new ArrayList<>();
        if (path.isEmpty()) return out;
        String[] segments = trimmed(path).split("/");
        StringBuilder ending = new StringBuilder();
        for (int i = segments.length - 1; i >= 0; i--) {
            if (segments[i].isEmpty()) break;
            ending.insert(0, i == segments.length - 1 ? segments[i] : segments[i] + "/");
            out.add(ending.toString());
        }
        if (path.startsWith("/data/upload/") && segments.length > 0) {
            var m = UPLOAD_PREFIX.matcher(segments[segments.length - 1]);
            if (m.matches()) out.add(m.group(1));
        }
        return out;
    }

    /** The image's path: the {@code d} parameter of a local-files URL, else the URL's path, decoded. */
    private static String path(String url) {
        int d = url.indexOf("?d=");
        if (d < 0) d = url.indexOf("&d=");
        if (d >= 0) {
            String value = url.substring(d + 3);
            int amp = value.indexOf('&');
            return URLDecoder.decode(amp < 0 ? value : value.substring(0, amp), StandardCharsets.UTF_8);
        }
        try {
            URI u = new URI(url);
            return u.getPath() == null ? "" : u.getPath();
        } catch (URISyntaxException e) { // an unencoded space, say: the text up to any query
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }
}
