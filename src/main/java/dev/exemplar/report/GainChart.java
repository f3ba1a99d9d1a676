package dev.exemplar.report;

import java.util.Locale;

/**
 * The marginal-gain curve as inline SVG, drawn on the server so the page gets it without script. The gain axis is
 * logarithmic: the first items gain tens of items each and the automatic size is decided near one half, which a
 * linear axis would flatten onto zero. The threshold of the automatic size is drawn with its value, and the chosen
 * size is marked where the curve meets it.
 */
final class GainChart {
    static final int W = 880, H = 320, LEFT = 64, RIGHT = 24, TOP = 28, BOTTOM = 48;
    static final int PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;
    /** The fewest decades shown below the threshold, and the most shown in all unless the threshold needs more. */
    private static final int DECADES_BELOW = 1, MOST_DECADES = 6;

    private GainChart() { }

    /** The decades the gain axis spans, as powers of ten: gains at or below the lowest lie on the bottom edge. */
    record Scale(int lowDecade, int highDecade) {
        double y(double v) {
            double lv = v > 0 && Double.isFinite(v) ? Math.log10(v) : lowDecade;
            lv = Math.max(lowDecade, Math.min(highDecade, lv));
            return TOP + PLOT_H - (lv - lowDecade) / (highDecade - lowDecade) * PLOT_H;
        }
    }

    static Scale scale(double[] gains, double threshold) {
        double hi = threshold, lo = threshold;
        for (double g : gains) {
            if (!(g > 0) || !Double.isFinite(g)) continue;
            hi = Math.max(hi, g);
            lo = Math.min(lo, g);
        }
        int high = (int) Math.ceil(Math.log10(hi) - 1e-9);
        int belowThreshold = (int) Math.floor(Math.log10(threshold)) - DECADES_BELOW;
        // tiny gains do not stretch the axis past its most decades, but the threshold always stays in view
        int low = Math.min(Math.max((int) Math.floor(Math.log10(lo)), high - MOST_DECADES), belowThreshold);
        return new Scale(low, Math.max(high, low + 1));
    }

    /**
     * The last rank (1-based) whose gain is at least the threshold, 0 for none: where the automatic size ends the
     * summary (the summary package's knee rule).
     */
    static int lastAtLeast(double[] gains, double threshold) {
        int k = 0;
        for (int r = 0; r < gains.length; r++) if (gains[r] >= threshold) k = r + 1;
        return k;
    }

    static String svg(double[] gains, int summarySize, double threshold) {
        int n = gains.length;
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<svg id=\"gain-chart\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"Marginal gain by rank, logarithmic\">");
        boolean any = false;
        for (double g : gains) any |= Double.isFinite(g);
        if (!any) {
            Svg.text(sb, W / 2.0, H / 2.0, "middle", "empty", "No gain values");
            return sb.append("</svg>").toString();
        }
        Scale s = scale(gains, threshold);

        sb.append("<g class=\"grid\">");
        for (int d = s.lowDecade(); d <= s.highDecade(); d++) {
            double y = s.y(Math.pow(10, d));
            Svg.line(sb, LEFT, y, LEFT + PLOT_W, y, null);
            String value = Svg.number(Math.pow(10, d));
            Svg.text(sb, LEFT - 8, y + 4, "end", "tick", d == s.lowDecade() ? "\u2264 " + value : value);
        }
        double[] xt = Svg.ticks(1, Math.max(2, n));
        for (double t : xt) {
            if (t < 1 || t > n) continue;
            double x = x(t - 1, n);
            Svg.line(sb, x, TOP + PLOT_H, x, TOP + PLOT_H + 5, null);
            Svg.text(sb, x, TOP + PLOT_H + 20, "middle", "tick", Svg.label(t, xt));
        }
        sb.append("</g>");
        Svg.axes(sb, LEFT, TOP, PLOT_W, PLOT_H, H, "Rank in summary order", "Marginal gain (items, log scale)");

        int k = Math.min(summarySize, n);
        if (k > 0) { // shade the summary part of the curve
            sb.append(String.format(Locale.ROOT, "<rect class=\"summary-band\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                    LEFT, TOP, x(k - 1, n) - LEFT, PLOT_H));
        }
        double yt = s.y(threshold);
        Svg.line(sb, LEFT, yt, LEFT + PLOT_W, yt, "class=\"threshold\" id=\"gain-threshold\" data-value=\"" + Svg.number(threshold) + "\"");
        sb.append("<polyline id=\"gain-curve\" class=\"curve\" points=\"");
        points(sb, gains, s);
        sb.append("\"/>");
        boolean right = k > 0 && x(k - 1, n) > LEFT + PLOT_W * 0.6;
        // the threshold's label on the side away from the marker's
        Svg.text(sb, right ? LEFT + 8 : LEFT + PLOT_W - 8, yt - 6, right ? "start" : "end", "threshold-label",
                "gain " + Svg.number(threshold) + ": threshold of the automatic size");
        if (k > 0) {
            double xk = x(k - 1, n);
            Svg.line(sb, xk, TOP, xk, TOP + PLOT_H, "class=\"marker\" id=\"summary-marker\" data-rank=\"" + k + "\"");
            if (Double.isFinite(gains[k - 1])) {
                sb.append(String.format(Locale.ROOT, "<circle class=\"marker-point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", xk, s.y(gains[k - 1])));
            }
            String label = String.format(Locale.ROOT, "summary: %,d of %,d", k, n)
                    + (lastAtLeast(gains, threshold) == k ? ", gain falls below " + Svg.number(threshold) + " here" : "");
            Svg.text(sb, right ? xk - 6 : xk + 6, TOP - 10, right ? "end" : "start", "marker-label", label);
        }
        return sb.append("</svg>").toString();
    }

    /** All points when few; else, per pixel column, its min and max, so the shape survives at ~2 points per px. */
    private static void points(StringBuilder sb, double[] g, Scale s) {
        int n = g.length;
        if (n <= 2 * PLOT_W) {
            for (int i = 0; i < n; i++) if (Double.isFinite(g[i])) Svg.point(sb, x(i, n), s.y(g[i]));
            return;
        }
        for (int c = 0; c < PLOT_W; c++) {
            int from = (int) ((long) c * n / PLOT_W), to = (int) ((long) (c + 1) * n / PLOT_W);
            int iMin = -1, iMax = -1;
            for (int i = from; i < to; i++) {
                if (!Double.isFinite(g[i])) continue;
                if (iMin < 0 || g[i] < g[iMin]) iMin = i;
                if (iMax < 0 || g[i] > g[iMax]) iMax = i;
            }
            if (iMin < 0) continue;
            double x = LEFT + c + 0.5;
            int first = Math.min(iMin, iMax), second = Math.max(iMin, iMax);
            Svg.point(sb, x, s.y(g[first]));
            if (second != first) Svg.point(sb, x, s.y(g[second]));
        }
    }

    static double x(double i, int n) {
        return n <= 1 ? LEFT : LEFT + i * PLOT_W / (n - 1);
    }
}
