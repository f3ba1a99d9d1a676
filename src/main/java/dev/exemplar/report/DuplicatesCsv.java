package dev.exemplar.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code duplicates.csv}: one row per member of each duplicate group, {@code group,item,action}, the kept copy first. */
final class DuplicatesCsv {
    static final String FILE = "duplicates.csv";

    private DuplicatesCsv() { }

    /** Groups with their kept item first; groups are numbered from 1, as the report shows them. */
    static void write(List<List<String>> keptFirst, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("group,item,action\r\n");
            for (int g = 0; g < keptFirst.size(); g++) {
                List<String> members = keptFirst.get(g);
                for (int m = 0; m < members.size(); m++) {
                    w.write((g + 1) + "," + field(members.get(m)) + "," + (m == 0 ? "keep" : "remove") + "\r\n");
                }
            }
        }
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String field(String s) {
        boolean quote = s.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
