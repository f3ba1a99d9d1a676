package dev.exemplar.summary;

import java.util.function.Supplier;

/** Makes one phase of every run fail as it starts, until closed: how tests stop a run where they want. */
public final class PhaseFailure implements AutoCloseable {
    private PhaseFailure() { }

    /** From now on, the phase named starts by throwing what {@code failure} makes. */
    public static PhaseFailure in(String phase, Supplier<? extends Error> failure) {
        RunState.enteringPhase = name -> {
            if (name.equals(phase)) throw failure.get();
        };
        return new PhaseFailure();
    }

    /** As {@link #in(String, Supplier)} with an exception. */
    public static PhaseFailure throwing(String phase, Supplier<? extends RuntimeException> failure) {
        RunState.enteringPhase = name -> {
            if (name.equals(phase)) throw failure.get();
        };
        return new PhaseFailure();
    }

    @Override
    public void close() {
        RunState.enteringPhase = name -> { };
    }
}
