package dev.exemplar.store;

import java.nio.file.Path;
import java.sql.SQLException;

/** A failure of the durable state: a database error, or a database this version cannot use. */
public class StoreException extends RuntimeException {
    StoreException(String message) {
        super(message);
    }

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A database error as the operator should read it: SQLite's full disk, read-only file, I/O error
     * and cannot-open say so in those words and name the data directory, since what to do about them
     * is outside Exemplar; {@code context} (may be null) says what was being done.
     */
    static StoreException of(Path dataDir, String context, SQLException e) {
        String detail = e.getMessage();
        String disk = switch (e.getErrorCode() & 0xff) { // sqlite-jdbc gives the primary code of an extended one
            case 13 -> "the disk holding " + dataDir + " is full";
            case 8 -> "the data directory " + dataDir + " is read-only";
            case 10 -> "cannot write to " + dataDir + ": I/O error";
            case 14 -> "cannot open the database in " + dataDir;
            default -> null;
        };
        if (disk != null) return new Disk(disk + ": " + detail, e);
        return new StoreException(context == null ? detail : context + ": " + detail, e);
    }

    /** The disk under the data directory failed the store: full, read-only, an I/O error, or the file cannot be opened. */
    public static final class Disk extends StoreException {
        Disk(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The event queue holds as many events as it may ({@link Store.Options#maxPendingEvents}): a new one is refused. */
    public static final class QueueFull extends StoreException {
        QueueFull(String message) {
            super(message);
        }
    }

    /** Another process (a running backend) holds the data directory. */
    public static final class InUse extends StoreException {
        InUse(String message) {
            super(message);
        }
    }
}
