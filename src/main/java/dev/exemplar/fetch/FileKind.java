package dev.exemplar.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What a file that is neither a regular file nor a directory is: FIFO, character or block device, socket. */
public final class FileKind {
    private FileKind() { }

    /** A short name of the file's type, read from its Unix mode where the platform has one. */
    public static String of(Path p, LinkOption... options) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", options);
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0010000: return "a FIFO";
                    case 0020000: return "a character device";
                    case 0060000: return "a block device";
                    case 0140000: return "a socket";
                    case 0120000: return "a symbolic link";
                    case 0040000: return "a directory";
                    case 0100000: return "a regular file";
                    default: break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no Unix mode here: fall through
        }
        return "a FIFO, device or socket";
    }
}
