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

    /**
     * A CSV file of {@code file,label} rows (a header row naming the columns is skipped; fields may be
     * quoted). An item is matched by its name, or else by its file name when that names one row only.
     */
    static Function<String, String> fromFile(Path csv) throws IOException {
        return fromFile(csv, null);
    }

    /**
     * As {@link #fromFile(Path)}, the label taken from the column a header row names {@code column} (null: the
     * second column); a row whose field there is empty gives its item no label.
     */
    static Function<String, String> fromFile(Path csv, String column) throws IOException {
        Map<String, String> byName = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int at = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            List<String> f = fields(line);
            if (i == 0 && column != null) {
                at = f.stream().map(String::strip).toList().indexOf(column);
                if (at < 1) throw new IOException("its first row names no column " + column + " after the file names: " + line);
                continue;
            }
            if (f.size() <= at) throw new IOException("line " + (i + 1) + " has no label: " + line);
            if (i == 0 && isHeader(f)) continue;
            if (!f.get(at).isBlank()) byName.put(f.get(0).strip(), f.get(at).strip());
        }
        if (byName.isEmpty()) throw new IOException("no labels in the file");
        Map<String, String> byFileName = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        byName.forEach((name, label) -> {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (byFileName.put(file, label) != null) ambiguous.add(file);
        });
        ambiguous.forEach(byFileName::remove);
        return name -> {
            String label = byName.get(name);
            if (label == null) label = byFileName.get(name.substring(name.lastIndexOf('/') + 1));
            return label == null ? NONE : label;
        };
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
