package dev.exemplar.summary;

import java.util.Locale;

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
    public static final double NEW_HALF = 0.5;

    /** The knee of the marginal-gain curve: the last rank whose gain is at least {@link #NEW_HALF}. */
    static Choice knee(double[] gains) {
        int n = gains.length;
        int k = 0;
        for (int r = 0; r < n; r++) if (gains[r] >= NEW_HALF) k = r + 1;
        k = Math.max(1, k);
        if (n == 1) return new Choice(1, "automatic: the one item is the summary");
        if (k == n) {
            // the gain never fell below the half: saying where it did would be false
            return new Choice(k, String.format(Locale.ROOT,
                    "automatic: the marginal gain stays at or above %.1f to the last of the %d items (each is more new than represented)",
                    NEW_HALF, n));
        }
        return new Choice(k, String.format(Locale.ROOT,
                "automatic: the marginal gain falls below %.1f after item %d of %d (each later item is more represented than new)",
                NEW_HALF, k, n));
    }

    /** Whether the spec asks for the knee ({@code auto}, the default). */
    public static boolean automatic(String spec) {
        return spec == null || spec.equalsIgnoreCase("auto");
    }

    /**
     * For an order built on an earlier one: the summary ends after the last of the earlier
     * delegates that is still not a copy (copies have gain 0 and stand last), so earlier roles
     * stay and an item added before that point joins the summary. The knee when none is left.
     */
    static Choice after(int[] order, boolean[] wasDelegate, double[] gains) {
        int k = 0, added = 0;
        for (int r = 0; r < order.length; r++) if (wasDelegate[order[r]] && gains[r] > 0) k = r + 1;
        if (k == 0) return knee(gains);
        for (int r = 0; r < k; r++) if (!wasDelegate[order[r]]) added++;
        return new Choice(k, String.format(Locale.ROOT,
                "automatic, kept: the earlier summary's delegates with %d item%s placed among them", added, added == 1 ? "" : "s"));
    }

    /** Parses {@code N}, {@code P%} or {@code auto} against n items. */
    public static Choice parse(String spec, int n, double[] gains) {
        if (automatic(spec)) return knee(gains);
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
