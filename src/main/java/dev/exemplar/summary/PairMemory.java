package dev.exemplar.summary;

/**
 * Scene verification's results for pairs of items, kept by the caller between runs (by content, say), so two
 * images are matched once however often a project is summarised. Items are indexes into the run's items; called
 * from many threads at once.
 */
public interface PairMemory {
    /** Nothing known. */
    int UNKNOWN = -1;

    /** The consistent matches found for the pair earlier, or {@link #UNKNOWN}. */
    int inliers(int a, int b);

    /** The consistent matches found for the pair now. */
    void found(int a, int b, int inliers);

    /** Remembers nothing. */
    PairMemory NONE = new PairMemory() {
        @Override
        public int inliers(int a, int b) {
            return UNKNOWN;
        }

        @Override
        public void found(int a, int b, int inliers) { }
    };
}
