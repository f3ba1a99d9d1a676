package dev.exemplar.cli;

import java.io.IOException;
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
import java.util.function.Function;

/** The class of each item: from a labels file, or from the folder the item is in. */
final class Labels {
    /** What an item has when it has no class: it counts as a class of its own kind, the unlabelled. */
    static final String NONE = "";

    private Labels() { }

    /** The item's folder, relative to the source ("cats" for cats/001.jpg, "town/signs" for town/signs/a.png); none at the top. */
    static Function<String, String> fromFolders() {
        return name -> {
            int slash = name.lastIndexOf('/');
            return slash < 0 ? NONE : name.substring(0, slash);
        };
    }

    /** The labels of a file by item name, and the column they were taken from (null: the second of two, unnamed). */
    record FromFile(Function<String, String> labelOf, String column) {
        /** Where the labels came from, for the console: the file, and its column when the file has one named. */
        String describe(Path file) {
            return column == null ? file.toString() : file + ", column " + column;
        }
    }

    /** Header names a label column is found by when none is given and the file has more than two columns, in this order. */
    static final List<String> LABEL_COLUMNS = List.of("label", "class");

    /**
     * A CSV file of {@code file,label} rows (a header row naming the columns is skipped; fields may be quoted), the
     * label taken from the column a header row names {@code column}. Without one, a file of two columns gives the
     * second, and a wider one the column its header names {@code label} or else {@code class}: any other would be a
     * guess. A row whose field there is empty gives its item no label. An item is matched by its name, or else by
     * its file name when that names one row only.
     */
    static FromFile fromFile(Path csv, String column) throws IOException {
        Map<String, String> byName = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int at = 1;
        String used = column;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            List<String> f = fields(line);
            if (i == 0) {
                List<String> names = f.stream().map(String::strip).toList();
                if (column != null) {
                    at = names.indexOf(column);
                    if (at < 1) throw new IOException("its first row names no column " + column + " after the file names: " + line);
                    continue;
                }
                if (f.size() > 2) {
                    at = labelColumn(names);
                    if (at < 1) throw new IOException("its rows have " + f.size() + " columns and none is named "
                            + String.join(" or ", LABEL_COLUMNS) + ": name the label's with --label-column (the first row: " + line + ")");
                    used = names.get(at);
                    continue;
                }
                if (f.size() == 2 && isHeader(f)) {
                    used = names.get(1);
                    continue;
                }
            }
            if (f.size() <= at) throw new IOException("line " + (i + 1) + " has no label: " + line);
            if (!f.get(at).isBlank()) byName.put(f.get(0).strip(), f.get(at).strip());
        }
        if (byName.isEmpty()) throw new IOException(used == null ? "no labels in the file" : "no labels in its column " + used);
        Map<String, String> byFileName = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        byName.forEach((name, label) -> {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (byFileName.put(file, label) != null) ambiguous.add(file);
        });
        ambiguous.forEach(byFileName::remove);
        return new FromFile(name -> {
            String label = byName.get(name);
            if (label == null) label = byFileName.get(name.substring(name.lastIndexOf('/') + 1));
            return label == null ? NONE : label;
        }, used);
    }

    /** The first column after the file names that a header calls one of {@link #LABEL_COLUMNS}, in their order; -1 for none. */
    private static int labelColumn(List<String> names) {
        for (String wanted : LABEL_COLUMNS) {
            for (int c = 1; c < names.size(); c++) if (names.get(c).equalsIgnoreCase(wanted)) return c;
        }
        return -1;
    }

    private static boolean isHeader(List<String> f) {
        String a = f.get(0).strip().toLowerCase(), b = f.get(1).strip().toLowerCase();
        return Set.of("file", "name", "item", "image", "filename", "path").contains(a) && Set.of("label", "class", "category").contains(b);
    }

    /** The fields of one CSV line; double quotes enclose a field, and "" inside them is a quote. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }
}
