package dev.exemplar.analysis;

/** An analysis that will not run as asked: too large for an exact or quadratic step, or asking for the impossible. The message says why and what to do. */
public final class Refusal extends IllegalArgumentException {
    Refusal(String message) {
        super(message);
    }
}
