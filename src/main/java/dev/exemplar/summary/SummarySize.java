package dev.exemplar.summary;

/** Chooses the summary size at the knee of the marginal-gain curve of an order. */
public final class SummarySize {
    /** A size and a sentence saying why it was chosen. */
    public record Choice(int size, String reason) { }

    private SummarySize() { }

    /**
     * Gains are in units of items: 1 for an item nothing represents yet, near 0 for a copy of a
     * chosen item. The summary ends where the curve falls below one half for good: from there
     * on, every further item is more represented already than it is new.
     */
    static final double NEW_HALF = 0.5;

    /** The knee of the marginal-gain curve: the last rank whose gain is at least {@link #NEW_HALF}. */
    public static Choice knee(double[] gains) {
        int n = gains.length;
        int k = 0;
        for (int r = 0; r < n; r++) if (gains[r] >= NEW_HALF) k = r + 1;
        k = Math.max(1, k);
        return new Choice(k, String.format(java.util.Locale.ROOT,
                "automatic: the marginal gain falls below %.1f after item %d of %d (each later item is more represented than new)",
                NEW_HALF, k, n));
    }

    /** Parses {@code N}, {@code P%} or {@code auto} against n items. */
    public static Choice parse(String spec, int n, double[] gains) {
        if (spec == null || spec.equalsIgnoreCase("auto")) return knee(gains);
        String s = spec.trim();
        if (s.endsWith("%")) {
            double p = Double.parseDouble(s.substring(0, s.length() - 1));
            if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("summary size " + spec + " must be a percentage in (0, 100]");
            int k = (int) Math.max(1, Math.min(n, Math.round(n * p / 100)));
            return new Choice(k, "given: " + s + " of " + n + " items");
        }
        int k = Integer.parseInt(s);
        if (k < 1) throw new IllegalArgumentException("summary size must be at least 1, got " + spec);
        return new Choice(Math.min(k, n), k > n ? "given: " + k + ", capped at the " + n + " items" : "given: " + k);
    }
}
