package dev.exemplar.backend;

/** What Label Studio sent cannot be read as the protocol says: answered with 400 and this message. */
public final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
        super(message);
    }
}
