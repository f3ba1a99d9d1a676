package dev.exemplar.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code exemplar export RESULT --format csv}: the three CSV files read back to the result they were written from. */
class ExportCsvTest {
    /** A name a naive CSV writer would split or mangle. */
    static final String AWKWARD = "sub/living room, \"north\" view.jpg";

    @TempDir
    static Path tmp;
    static Result result;
    static CliFixtures.Outcome export;
    static Path csv;

    @BeforeAll
    static void summariseAndExport() throws IOException {
        Path images = ExportFixtures.sampleCopy(tmp.resolve("images"));
        Files.createDirectories(images.resolve("sub"));
        try (var files = Files.list(images)) {
            Path first = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
            Files.move(first, images.resolve(AWKWARD));
        }
        result = ExportFixtures.summarize(images, tmp.resolve("result.json"));
        csv = tmp.resolve("csv");
        export = run("export", tmp.resolve("result.json").toString(), "--format", "csv", "--to", csv.toString());
    }

    static List<Map<String, String>> rows(String file) throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.resolve(file).toFile())) {
            return it.readAll();
        }
    }

    @Test
    void exportsTheThreeFilesAndSaysSo() {
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.err()).isEmpty();
        assertThat(export.out()).contains("order.csv", "links.csv", "duplicates.csv", csv.toString());
    }

    @Test
    void orderCsvListsEveryItemInTheResultsOrderWithItsRoleAndDelegatesStrongestFirst() throws IOException {
        List<Map<String, String>> rows = rows("order.csv");
        assertThat(rows).extracting(r -> r.get("item")).containsExactlyElementsOf(result.order());
        assertThat(rows.get(0).keySet()).containsExactly("rank", "item", "role",
                "delegate_1", "weight_1", "delegate_2", "weight_2", "delegate_3", "weight_3");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String item = result.order().get(i);
            assertThat(row.get("rank")).isEqualTo(Integer.toString(i + 1));
            assertThat(row.get("role")).isEqualTo(i < result.summarySize() ? "delegate" : "constituent");
            List<Result.Link> links = new ArrayList<>();
            for (int d = 1; d <= 3 && !row.get("delegate_" + d).isEmpty(); d++) {
                links.add(new Result.Link(row.get("delegate_" + d), Double.parseDouble(row.get("weight_" + d))));
            }
            assertThat(links).as(item).isEqualTo(result.links().getOrDefault(item, List.of()));
        }
    }

    @Test
    void linksCsvHoldsEachLinkOfTheResultOnceWithItsExactWeight() throws IOException {
        List<Map<String, String>> rows = rows("links.csv");
        Map<String, List<Result.Link>> read = new java.util.LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            List<Result.Link> links = read.computeIfAbsent(row.get("constituent"), k -> new ArrayList<>());
            assertThat(row.get("link")).isEqualTo(Integer.toString(links.size() + 1));
            links.add(new Result.Link(row.get("delegate"), Double.parseDouble(row.get("weight"))));
        }
        assertThat(read).isEqualTo(result.links());
        assertThat(rows).hasSize(result.links().values().stream().mapToInt(List::size).sum());
    }

    @Test
    void duplicatesCsvHasEachGroupWithItsEarliestItemKeptAndTheOthersRemoved() throws IOException {
        assertThat(result.duplicates()).as("the sample has copies").isNotEmpty();
        List<Map<String, String>> rows = rows("duplicates.csv");
        for (int g = 0; g < result.duplicates().size(); g++) {
            String group = Integer.toString(g + 1);
            List<Map<String, String>> members = rows.stream().filter(r -> r.get("group").equals(group)).toList();
            assertThat(members).extracting(r -> r.get("item")).containsExactlyInAnyOrderElementsOf(result.duplicates().get(g));
            String earliest = result.duplicates().get(g).stream().min(java.util.Comparator.comparingInt(result.order()::indexOf)).orElseThrow();
            for (Map<String, String> m : members) {
                assertThat(m.get("action")).as(m.get("item")).isEqualTo(m.get("item").equals(earliest) ? "keep" : "remove");
                assertThat(m.get("rank")).isEqualTo(Integer.toString(result.order().indexOf(m.get("item")) + 1));
            }
        }
        assertThat(rows).hasSize(result.duplicates().stream().mapToInt(List::size).sum());
    }

    @Test
    void aNameWithACommaAndQuotesReadsBackWhole() throws IOException {
        assertThat(result.order()).contains(AWKWARD);
        assertThat(rows("order.csv")).extracting(r -> r.get("item")).contains(AWKWARD);
        String text = Files.readString(csv.resolve("order.csv"));
        assertThat(text).contains("\"sub/living room, \"\"north\"\" view.jpg\"");
    }
}
