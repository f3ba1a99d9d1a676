package dev.exemplar.store;

/** A failure of the durable state: a database error, or a database this version cannot use. */
public class StoreException extends RuntimeException {
    StoreException(String message) {
        super(message);
    }

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another process (a running backend) holds the data directory. */
    public static final class InUse extends StoreException {
        InUse(String message) {
            super(message);
        }
    }
}
