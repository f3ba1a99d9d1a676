package dev.exemplar.summary;

/** Receives the engine's progress: phases, each with a number of steps. Called from worker threads. */
public interface Progress {
    void phase(String name, long total);

    void advance(long steps);

    Progress NONE = new Progress() {
        @Override
        public void phase(String name, long total) { }

        @Override
        public void advance(long steps) { }
    };
}
