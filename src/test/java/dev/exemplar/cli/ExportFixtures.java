package dev.exemplar.cli;

import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled sample and its result, for the export tests. */
final class ExportFixtures {
    /** The 36 room photographs shipped with the project. */
    static final Path SAMPLE = Path.of("samples/rooms/images");

    private ExportFixtures() { }

    /** A copy of the sample in {@code folder}, which a test may change. */
    static Path sampleCopy(Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path p : files.toList()) Files.copy(p, folder.resolve(p.getFileName()));
        }
        return folder;
    }

    /** Runs summarize on a folder or tasks export, as a user would, and reads the result it wrote. */
    static Result summarize(Path source, Path out) throws IOException {
        CliFixtures.Outcome o = CliFixtures.run("summarize", source.toString(), "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        return Result.read(out);
    }
}
