package dev.exemplar.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before a long run, that its outputs can be written, so a typo does not cost the whole run. */
final class OutputChecks {
    private OutputChecks() { }

    static void writableFile(Path file, String option) {
        if (Files.isDirectory(file)) throw new CliFailure(option + " " + file + " is a folder, not a file");
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) throw new CliFailure(option + " " + file + ": the folder " + parent + " does not exist");
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) throw new CliFailure(option + " " + file + " is not writable");
            return;
        }
        probe(parent, option + " " + file);
    }

    static void usableFolder(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new CliFailure(option + " " + dir + " is a file, not a folder");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliFailure(option + " " + dir + ": cannot create the folder (" + Main.describeWrite(e) + ")");
        }
        probe(dir, option + " " + dir);
    }

    /** Creating a file is the only reliable test: permissions alone miss read-only mounts and ACLs. */
    private static void probe(Path dir, String what) {
        try {
            Files.delete(Files.createTempFile(dir, ".exemplar-", ".tmp"));
        } catch (IOException e) {
            throw new CliFailure(what + ": cannot write in " + dir + " (" + Main.describeWrite(e) + ")");
        }
    }
}
