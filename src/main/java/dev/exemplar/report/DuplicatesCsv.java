package dev.exemplar.report;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code duplicates.csv}, beside the report and from {@code export --format csv}: {@code group,item,rank,action}, one
 * row per member of each duplicate group (numbered from 1 as in the result), the earliest in the order {@code keep},
 * the others {@code remove}.
 */
public final class DuplicatesCsv {
    public static final String FILE = "duplicates.csv";
    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumn("group").addColumn("item").addColumn("rank")
            .addColumn("action").build().withHeader();

    private DuplicatesCsv() { }

    public static void write(Result r, Path file) throws IOException {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < r.order().size(); i++) rank.put(r.order().get(i), i + 1);
        try (SequenceWriter w = new CsvMapper().writer(SCHEMA).writeValues(file.toFile())) {
            List<List<String>> groups = ReportWriter.keptFirst(r);
            for (int g = 0; g < groups.size(); g++) {
                List<String> members = groups.get(g);
                for (int m = 0; m < members.size(); m++) {
                    Integer at = rank.get(members.get(m));
                    w.write(List.of(g + 1, members.get(m), at == null ? "" : at, m == 0 ? "keep" : "remove"));
                }
            }
        }
    }
}
