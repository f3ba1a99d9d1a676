package dev.exemplar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A result or report that cannot be written ends the run in one line naming the file and why. */
class OutputWriteFailuresTest {
    @TempDir Path tmp;

    @Test
    void aFullDiskIsNamedAsSuch() {
        Path out = tmp.resolve("result.json");
        assertThatThrownBy(() -> CommandSupport.writeFile(out, p -> {
            throw new FileSystemException(p.toString(), null, "No space left on device");
        }))
                .isInstanceOf(CliFailure.class)
                .hasMessage("cannot write " + out + ": the disk is full");
    }

    @Test
    void aReadOnlyFileSystemIsNamedAsSuch() {
        Path report = tmp.resolve("report");
        assertThatThrownBy(() -> CommandSupport.writeReport(report, p -> {
            throw new FileSystemException(p.resolve("index.html").toString(), null, "Read-only file system");
        }))
                .isInstanceOf(CliFailure.class)
                .hasMessage("cannot write the report to " + report + ": the file system is read-only");
    }

    @Test
    void aWriteUnderARegularFileFailsInOneLineNamingTheFile() throws IOException {
        // a path under a regular file fails for root too, where permissions do not bite
        Path blocker = Files.writeString(tmp.resolve("file.txt"), "a file, so no folder can be inside it");
        Path out = blocker.resolve("out.json");
        assertThatThrownBy(() -> CommandSupport.writeFile(out, p -> Files.writeString(p, "{}")))
                .isInstanceOf(CliFailure.class)
                .hasMessage("cannot write " + out + ": a part of the path is a file, not a folder");
    }

    @Test
    void aReportFolderUnderARegularFileIsRefusedBeforeTheRun() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("file.txt"), "a file");
        Path report = blocker.resolve("report");
        assertThatThrownBy(() -> OutputChecks.usableFolder(report, "--report"))
                .isInstanceOf(CliFailure.class)
                .hasMessage("--report " + report + ": cannot create the folder (a part of the path is a file, not a folder)");
    }
}
