package dev.exemplar.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.exemplar.report.DuplicatesCsv;
import dev.exemplar.store.Role;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A result as three CSV files with a header row each, for spreadsheets and scripts:
 * <ul>
 *   <li>{@code order.csv}: {@code rank,item,role,delegate_1,weight_1,...}: every item in the order, ranked from 1,
 *       a constituent with its delegates strongest first (as many pairs as the longest link list, at least 3);</li>
 *   <li>{@code links.csv}: {@code constituent,link,delegate,weight}: one row per link, {@code link} 1 the strongest;</li>
 *   <li>{@code duplicates.csv}: {@code group,item,rank,action}: one row per member of each duplicate group
 *       (numbered from 1 as in the result), the earliest in the order {@code keep}, the others {@code remove}.</li>
 * </ul>
 */
final class CsvExport {
    static final String ORDER = "order.csv", LINKS = "links.csv", DUPLICATES = DuplicatesCsv.FILE;
    static final List<String> FILES = List.of(ORDER, LINKS, DUPLICATES);
    /** Delegate columns that order.csv always has: the default number of links. */
    static final int DELEGATE_COLUMNS = 3;

    private static final CsvMapper CSV = new CsvMapper();

    private CsvExport() { }

    static void write(Result r, Path folder) throws IOException {
        writeOrder(r, folder.resolve(ORDER));
        writeLinks(r, folder.resolve(LINKS));
        DuplicatesCsv.write(r, folder.resolve(DUPLICATES));
    }

    private static void writeOrder(Result r, Path file) throws IOException {
        int pairs = Math.max(DELEGATE_COLUMNS, r.links().values().stream().mapToInt(List::size).max().orElse(0));
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("rank").addColumn("item").addColumn("role");
        for (int d = 1; d <= pairs; d++) schema.addColumn("delegate_" + d).addColumn("weight_" + d);
        try (SequenceWriter w = writer(schema, file)) {
            for (int i = 0; i < r.order().size(); i++) {
                String item = r.order().get(i);
                List<Object> row = new ArrayList<>(List.of(i + 1, item, (i < r.summarySize() ? Role.DELEGATE : Role.CONSTITUENT).text()));
                List<Result.Link> links = r.links().getOrDefault(item, List.of());
                for (int d = 0; d < pairs; d++) {
                    row.add(d < links.size() ? links.get(d).delegate() : "");
                    row.add(d < links.size() ? links.get(d).weight() : "");
                }
                w.write(row);
            }
        }
    }

    private static void writeLinks(Result r, Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("constituent").addColumn("link").addColumn("delegate").addColumn("weight");
        try (SequenceWriter w = writer(schema, file)) {
            for (String item : r.order()) {
                List<Result.Link> links = r.links().getOrDefault(item, List.of());
                for (int d = 0; d < links.size(); d++) w.write(List.of(item, d + 1, links.get(d).delegate(), links.get(d).weight()));
            }
        }
    }

    private static SequenceWriter writer(CsvSchema.Builder schema, Path file) throws IOException {
        return CSV.writer(schema.build().withHeader()).writeValues(file.toFile());
    }
}
