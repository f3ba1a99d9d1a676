package dev.exemplar.summary;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The temporary files a run keeps its items' features in: opened for reading and writing, deleted on close. */
final class TemporaryFiles {
    private TemporaryFiles() { }

    /** A new file in the temporary folder, or null where none can be made (no writable folder): the caller then keeps all in memory. */
    static FileChannel open(String prefix) {
        try {
            Path path = Files.createTempFile(prefix, ".bin");
            return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Closes the file (deleting it where the system can); null for none. */
    static void close(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // deleted on close where the system can; nothing else is left to do
        }
    }
}
