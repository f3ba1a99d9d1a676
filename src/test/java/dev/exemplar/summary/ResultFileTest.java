package dev.exemplar.summary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultFileTest {
    private static Result result(String... order) {
        return new Result(List.of(order), 1, Map.of(), List.of(), List.of());
    }

    @Test
    void aResultWrittenOverAnEarlierOneReplacesItWholeAndLeavesNothingBeside(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("result.json");
        result("a.jpg", "b.jpg").write(file);
        result("c.jpg").write(file);

        assertThat(Result.read(file).order()).containsExactly("c.jpg");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("result.json");
        }
    }

    @Test
    void aWriteThatFailsLeavesTheEarlierResultWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("result.json");
        result("a.jpg", "b.jpg").write(file);
        // the file the new result goes to first cannot be written: here, a folder holds its name
        Path part = dir.resolve(".result.json.part");
        Files.createDirectories(part.resolve("in-the-way"));

        assertThatThrownBy(() -> result("c.jpg").write(file)).isInstanceOf(IOException.class);
        assertThat(Result.read(file).order()).containsExactly("a.jpg", "b.jpg");
    }
}
