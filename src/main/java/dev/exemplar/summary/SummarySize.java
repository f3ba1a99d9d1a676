package dev.exemplar.summary;

/** Chooses the summary size at the knee of the marginal-gain curve of an order. */
public final class SummarySize {
    /** A size and a sentence saying why it was chosen. */
    public record Choice(int size, String reason) { }

    private SummarySize() { }

    /**
     * The knee of the cumulative gain curve (Kneedle): the rank where the normalised curve lies
     * farthest above the diagonal, which is where an item's marginal gain falls below the
     * mean gain of the whole order.
     */
    public static Choice knee(double[] gains) {
        int n = gains.length;
        if (n <= 2) return new Choice(n, "every item (" + n + " in all)");
        double total = 0;
        for (double g : gains) total += g;
        double cum = 0, best = -1;
        int bestK = n;
        for (int k = 1; k <= n; k++) {
            cum += gains[k - 1];
            double d = cum / total - (double) k / n;
            if (d > best) {
                best = d;
                bestK = k;
            }
        }
        double mean = total / n;
        return new Choice(bestK, String.format(java.util.Locale.ROOT,
                "knee of the marginal-gain curve: item %d is the last whose gain (%.3f) exceeds the mean gain %.3f",
                bestK, gains[bestK - 1], mean));
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
