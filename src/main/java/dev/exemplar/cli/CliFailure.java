package dev.exemplar.cli;

/** The command cannot run: its message is shown as one line and the exit code is {@link Main#CANNOT_RUN}. */
final class CliFailure extends RuntimeException {
    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
