package dev.exemplar.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A result as a folder of part files, for results too large for one JSON file to be written by one machine:
 * {@code summary.json} ({@code {"items": N, "summary_size": k}}) and the folders {@code order/}, {@code links/},
 * {@code duplicates/} and {@code errors/} of part files, one JSON object a line. Part files are those whose names
 * start with {@code part-} (so {@code _SUCCESS} and hidden checksum files are not), gzip-compressed when the name
 * ends in {@code .gz}, as Spark writes them.
 * <p>
 * Reading checks the folder whole and builds the {@link Result} that {@code summarize} writes: the order by rank,
 * links in rank order, duplicate groups and errors in the order of their part files (by name) and lines. Each line is
 * parsed on its own and only the names, ranks and links are kept.
 */
public final class ResultParts {
    static final String SUMMARY = "summary.json";

    /** The part folders, in the order they are read: links and the rest are checked against the order. */
    enum Part {
        ORDER("order"), LINKS("links"), DUPLICATES("duplicates"), ERRORS("errors");

        final String folder;

        Part(String folder) {
            this.folder = folder;
        }
    }

    /** A folder that is not a valid result; the message names the file and line. */
    public static final class Invalid extends IOException {
        Invalid(String message) {
            super(message);
        }
    }

    private ResultParts() { }

    /** Whether {@code path} looks like a parts folder (it holds {@code summary.json}). */
    public static boolean isParts(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(SUMMARY));
    }

    /**
     * Writes {@code r} as a parts folder (which must not hold parts already), each part folder split into at most
     * {@code parts} files of consecutive lines, gzip-compressed when {@code gzip}. A stopped run's {@code partial}
     * mark is not part of the format.
     */
    public static void write(Result r, Path folder, int parts, boolean gzip) throws IOException {
        if (parts < 1) throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        Files.createDirectories(folder);
        ObjectNode summary = Json.MAPPER.createObjectNode().put("items", r.order().size()).put("summary_size", r.summarySize());
        Files.writeString(folder.resolve(SUMMARY), summary + "\n");
        List<ObjectNode> order = new ArrayList<>(), links = new ArrayList<>(), duplicates = new ArrayList<>(), errors = new ArrayList<>();
        for (int i = 0; i < r.order().size(); i++) {
            order.add(Json.MAPPER.createObjectNode().put("rank", i + 1).put("item", r.order().get(i)));
        }
        r.links().forEach((item, ls) -> {
            ObjectNode line = Json.MAPPER.createObjectNode().put("item", item);
            ls.forEach(l -> line.withArray("links").addObject().put("delegate", l.delegate()).put("weight", l.weight()));
            links.add(line);
        });
        r.duplicates().forEach(g -> {
            ObjectNode line = Json.MAPPER.createObjectNode();
            g.forEach(line.withArray("group")::add);
            duplicates.add(line);
        });
        r.errors().forEach(e -> errors.add(Json.MAPPER.createObjectNode().put("item", e.item()).put("error", e.error())));
        writePart(folder.resolve(Part.ORDER.folder), order, parts, gzip);
        writePart(folder.resolve(Part.LINKS.folder), links, parts, gzip);
        writePart(folder.resolve(Part.DUPLICATES.folder), duplicates, parts, gzip);
        writePart(folder.resolve(Part.ERRORS.folder), errors, parts, gzip);
    }

    private static void writePart(Path dir, List<ObjectNode> lines, int parts, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        int per = Math.max(1, (lines.size() + parts - 1) / parts);
        for (int p = 0, from = 0; p < parts && (from < lines.size() || p == 0); p++, from += per) {
            Path file = dir.resolve(String.format("part-%05d.json%s", p, gzip ? ".gz" : ""));
            try (OutputStream raw = Files.newOutputStream(file);
                 OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
                 Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                for (ObjectNode line : lines.subList(from, Math.min(lines.size(), from + per))) {
                    w.write(Json.MAPPER.writeValueAsString(line));
                    w.write('\n');
                }
            }
        }
        Files.writeString(dir.resolve("_SUCCESS"), "");
    }

    /** Reads and checks a parts folder; {@link Invalid} names the first file and line that is wrong. */
    public static Result read(Path folder) throws IOException {
        JsonNode summary;
        try {
            summary = Json.MAPPER.readTree(folder.resolve(SUMMARY).toFile());
        } catch (JsonProcessingException e) {
            throw new Invalid(SUMMARY + " is not JSON: " + e.getOriginalMessage());
        }
        if (summary == null || !summary.path("items").canConvertToExactIntegral() || !summary.path("summary_size").canConvertToExactIntegral()) {
            throw new Invalid(SUMMARY + " must be {\"items\": N, \"summary_size\": k}");
        }
        long n = summary.get("items").asLong(), k = summary.get("summary_size").asLong();
        if (n < 0 || n > Integer.MAX_VALUE - 8) throw new Invalid(SUMMARY + ": items must be a count, got " + n);
        if (k < 0 || k > n) throw new Invalid(SUMMARY + ": summary_size must be within 0.." + n + ", got " + k);
        int items = (int) n, summarySize = (int) k;

        String[] order = new String[items];
        Map<String, Integer> rankOf = new HashMap<>(items * 2);
        readLines(folder, Part.ORDER, (where, line) -> {
            JsonNode rank = line.get("rank"), item = line.get("item");
            if (rank == null || !rank.canConvertToExactIntegral() || item == null || !item.isTextual()) {
                throw where.invalid("needs {\"rank\": R, \"item\": \"name\"}");
            }
            long r = rank.asLong();
            if (r < 1 || r > items) throw where.invalid("rank " + rank + " is outside 1.." + items + " (" + SUMMARY + ")");
            if (order[(int) r - 1] != null) throw where.invalid("rank " + r + " is given twice");
            Integer before = rankOf.putIfAbsent(item.asText(), (int) r);
            if (before != null) throw where.invalid("item " + item + " is given twice, ranks " + before + " and " + r);
            order[(int) r - 1] = item.asText();
        });
        for (int i = 0; i < items; i++) {
            if (order[i] == null) {
                throw new Invalid(Part.ORDER.folder + "/: rank " + (i + 1) + " is missing; " + SUMMARY + " says " + items + " items, "
                        + rankOf.size() + " are given");
            }
        }

        Map<String, List<Result.Link>> byItem = new HashMap<>();
        readLines(folder, Part.LINKS, (where, line) -> {
            String item = text(line, "item", where);
            Integer rank = rankOf.get(item);
            if (rank == null) throw where.invalid("item \"" + item + "\" is not in the order");
            if (rank <= summarySize) throw where.invalid("item \"" + item + "\" is a delegate (rank " + rank + "), it has no links");
            JsonNode ls = line.get("links");
            if (ls == null || !ls.isArray()) throw where.invalid("needs \"links\": [{\"delegate\": \"name\", \"weight\": w}, ...]");
            List<Result.Link> links = new ArrayList<>(ls.size());
            for (JsonNode l : ls) {
                String d = text(l, "delegate", where);
                Integer dr = rankOf.get(d);
                if (dr == null || dr > summarySize) {
                    throw where.invalid("\"" + item + "\" links to \"" + d + "\", which is not a delegate (the first " + summarySize + ")");
                }
                if (!l.path("weight").isNumber()) throw where.invalid("the link to \"" + d + "\" needs a numeric \"weight\"");
                links.add(new Result.Link(d, l.get("weight").asDouble()));
            }
            if (byItem.put(item, List.copyOf(links)) != null) throw where.invalid("item \"" + item + "\" has links twice");
        });
        // the engine lists links in rank order
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        for (int i = summarySize; i < items; i++) {
            List<Result.Link> l = byItem.remove(order[i]);
            if (l != null) links.put(order[i], l);
        }

        List<List<String>> duplicates = new ArrayList<>();
        readLines(folder, Part.DUPLICATES, (where, line) -> {
            JsonNode g = line.get("group");
            if (g == null || !g.isArray() || g.size() < 2) throw where.invalid("needs {\"group\": [\"name\", \"name\", ...]} of two or more");
            List<String> group = new ArrayList<>(g.size());
            for (JsonNode m : g) {
                if (!m.isTextual() || !rankOf.containsKey(m.asText())) throw where.invalid("group member " + m + " is not in the order");
                group.add(m.asText());
            }
            duplicates.add(List.copyOf(group));
        });

        List<Result.ItemError> errors = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        readLines(folder, Part.ERRORS, (where, line) -> {
            String item = text(line, "item", where), error = text(line, "error", where);
            if (rankOf.containsKey(item)) throw where.invalid("item \"" + item + "\" is in the order and cannot have an error too");
            if (!failed.add(item)) throw where.invalid("item \"" + item + "\" has an error twice");
            errors.add(new Result.ItemError(item, error));
        });
        return new Result(List.of(order), summarySize, links, duplicates, errors);
    }

    private static String text(JsonNode line, String field, Where where) throws Invalid {
        JsonNode v = line.get(field);
        if (v == null || !v.isTextual()) throw where.invalid("needs a text \"" + field + "\"");
        return v.asText();
    }

    /** A line's place, for messages. */
    private record Where(String file, long line) {
        Invalid invalid(String why) {
            return new Invalid(file + " line " + line + ": " + why);
        }
    }

    private interface LineReader {
        void accept(Where where, JsonNode line) throws Invalid;
    }

    /** Every line of the folder's part files, by file name, each parsed alone. A folder that is absent has none. */
    private static void readLines(Path folder, Part part, LineReader reader) throws IOException {
        Path dir = folder.resolve(part.folder);
        if (!Files.isDirectory(dir)) return;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("part-") && !p.getFileName().toString().endsWith(".crc"))
                    .sorted().toList();
        }
        for (Path file : files) {
            String name = part.folder + "/" + file.getFileName();
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                long number = 0;
                for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                    number++;
                    if (text.isBlank()) continue;
                    Where where = new Where(name, number);
                    JsonNode line;
                    try {
                        line = Json.MAPPER.readTree(text);
                    } catch (JsonProcessingException e) {
                        throw where.invalid("not JSON: " + e.getOriginalMessage());
                    }
                    if (line == null || !line.isObject()) throw where.invalid("not a JSON object");
                    reader.accept(where, line);
                }
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new Invalid(name + ": not readable gzip: " + e.getMessage());
            }
        }
    }
}
