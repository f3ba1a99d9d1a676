package dev.exemplar.report;

import dev.exemplar.json.Json;
import dev.exemplar.summary.Coverage;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.SummarySize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a self-contained HTML report: {@code index.html} (inline CSS, JS, data and charts),
 * {@code thumbs/<n>.jpg}, where n is the item's index in the embedded data, never its path, and
 * {@code duplicates.csv} when there are duplicate groups.
 */
public final class ReportWriter {
    private static final long SAMPLE_SEED = 20240601L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private ReportWriter() { }

    public static void write(Report report, Path dir) throws IOException {
        Result r = report.result();
        List<String> items = itemIndex(r);
        Path thumbs = dir.resolve("thumbs");
        Files.createDirectories(thumbs);
        int[] dims = ThumbnailFiles.write(items, report.thumbnails(), thumbs);

        List<List<String>> groups = keptFirst(r);
        Path csv = dir.resolve(DuplicatesCsv.FILE);
        if (groups.isEmpty()) Files.deleteIfExists(csv);
        else DuplicatesCsv.write(r, csv);

        int k = Math.max(0, Math.min(r.summarySize(), list(r.order()).size()));
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("title", html(report.title()));
        parts.put("figures", figures(report));
        parts.put("chart", GainChart.svg(report.gains(), r.summarySize(), SummarySize.NEW_HALF));
        parts.put("gainReason", report.summaryReason().isBlank() ? "" : "Summary size: " + html(report.summaryReason()) + ".");
        parts.put("coverage", coverage(report.coverage(), k));
        parts.put("csv", groups.isEmpty() ? "" : "<a id=\"dups-csv\" class=\"download\" href=\"" + DuplicatesCsv.FILE
                + "\" download>duplicates.csv</a> lists every member with keep or remove.");
        parts.put("css", resource("report.css"));
        parts.put("js", resource("report.js"));
        parts.put("data", scriptSafe(Json.MAPPER.writeValueAsString(data(report, items, dims, groups))));
        Files.writeString(dir.resolve("index.html"), fill(resource("report.html"), parts), StandardCharsets.UTF_8);
    }

    /** The coverage chart with its points in one sentence, or one line saying why there is none. */
    private static String coverage(Coverage c, int k) {
        if (c == null) return "<p class=\"empty\">Not known for this result: coverage comes from the run that made the order.</p>";
        return CoverageChart.svg(c, k) + "<p id=\"coverage-points\" class=\"readout\">" + html(CoverageChart.sentence(c, k)) + "</p>";
    }

    /**
     * Each duplicate group with the copy the order keeps first (the earliest in the order: the others were moved to
     * its end), then the rest in order. Members the order lacks go last.
     */
    /** Each duplicate group with the earliest in the order first: the original the result keeps. */
    static List<List<String>> keptFirst(Result r) {
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (String item : list(r.order())) rank.putIfAbsent(item, rank.size());
        List<List<String>> out = new ArrayList<>();
        for (List<String> g : list(r.duplicates())) {
            List<String> sorted = new ArrayList<>(g);
            sorted.sort(Comparator.comparingInt(item -> rank.getOrDefault(item, Integer.MAX_VALUE)));
            out.add(sorted);
        }
        return out;
    }

    /** The order first (so index = rank - 1), then any item named only by links or duplicate groups. */
    private static List<String> itemIndex(Result r) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String item : list(r.order())) seen.putIfAbsent(item, seen.size());
        if (r.links() != null) {
            r.links().forEach((c, ls) -> {
                seen.putIfAbsent(c, seen.size());
                for (Result.Link l : list(ls)) seen.putIfAbsent(l.delegate(), seen.size());
            });
        }
        for (List<String> g : list(r.duplicates())) for (String item : g) seen.putIfAbsent(item, seen.size());
        return new ArrayList<>(seen.keySet());
    }

    private static Map<String, Object> data(Report report, List<String> items, int[] dims, List<List<String>> groups) {
        Result r = report.result();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) index.put(items.get(i), i);
        int n = list(r.order()).size();
        int k = Math.max(0, Math.min(r.summarySize(), n));

        // Constituents in rank order: [constituent, delegate, weight, delegate, weight, ...].
        List<List<Object>> links = new ArrayList<>();
        if (r.links() != null) {
            List<String> constituents = new ArrayList<>(r.links().keySet());
            constituents.sort((a, b) -> Integer.compare(index.get(a), index.get(b)));
            for (String c : constituents) {
                List<Object> row = new ArrayList<>();
                row.add(index.get(c));
                for (Result.Link l : list(r.links().get(c))) {
                    row.add(index.get(l.delegate()));
                    row.add(Math.round(l.weight() * 1e4) / 1e4);
                }
                links.add(row);
            }
        }
        List<List<Integer>> dups = new ArrayList<>();
        for (List<String> g : groups) dups.add(g.stream().map(index::get).toList());
        List<List<String>> errors = new ArrayList<>();
        for (Result.ItemError e : list(r.errors())) errors.add(Arrays.asList(e.item(), e.error()));

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("n", n);
        d.put("k", k);
        d.put("items", items);
        d.put("dims", dims);
        d.put("sample", sample(n, k));
        d.put("links", links);
        d.put("dups", dups);
        d.put("errors", errors);
        return d;
    }

    /** A seeded sample of k ranks out of n (partial Fisher-Yates), so reports are reproducible. */
    static int[] sample(int n, int k) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        Random rnd = new Random(SAMPLE_SEED);
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i]; all[i] = all[j]; all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }

    private static String figures(Report report) {
        Result r = report.result();
        int dupItems = list(r.duplicates()).stream().mapToInt(List::size).sum();
        StringBuilder sb = new StringBuilder();
        figure(sb, "Items", list(r.order()).size(), null);
        figure(sb, "Errors", list(r.errors()).size(), null);
        figure(sb, "Summary size", r.summarySize(), report.summaryReason());
        figure(sb, "Duplicate groups", list(r.duplicates()).size(),
                dupItems == 0 ? null : String.format(Locale.ROOT, "%,d items in groups", dupItems));
        figure(sb, "Constituents", r.links() == null ? 0 : r.links().size(), "linked to delegates");
        return sb.toString();
    }

    private static void figure(StringBuilder sb, String label, int value, String note) {
        sb.append("<div class=\"fig\"><div class=\"fig-value\">")
                .append(String.format(Locale.ROOT, "%,d", value))
                .append("</div><div class=\"fig-label\">").append(html(label)).append("</div>");
        if (note != null && !note.isBlank()) sb.append("<div class=\"fig-note\">").append(html(note)).append("</div>");
        sb.append("</div>");
    }

    // ---- text ----

    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * JSON inside a script element: escaping every '<' (hence "</" and "<!--") and '>' and '&'
     * as unicode escapes keeps the parser inside the element and leaves the JSON equal.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** Single pass, so text put in is never scanned for placeholders again. */
    static String fill(String template, Map<String, String> parts) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder(template.length() + parts.values().stream().mapToInt(String::length).sum());
        while (m.find()) {
            String v = parts.get(m.group(1));
            if (v == null) throw new IllegalStateException("no value for " + m.group());
            m.appendReplacement(sb, "");
            sb.append(v);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
