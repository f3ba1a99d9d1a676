package dev.exemplar.report;

import java.util.Locale;

/** The marginal-gain curve as inline SVG, drawn on the server so the page gets it without script. */
final class GainChart {
    static final int W = 880, H = 300, LEFT = 64, RIGHT = 24, TOP = 20, BOTTOM = 48;
    static final int PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;

    private GainChart() { }

    static String svg(double[] gains, int summarySize) {
        int n = gains.length;
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<svg id=\"gain-chart\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"Marginal gain by rank\">");
        double lo = 0, hi = Double.NEGATIVE_INFINITY;
        for (double g : gains) {
            if (!Double.isFinite(g)) continue;
            lo = Math.min(lo, g);
            hi = Math.max(hi, g);
        }
        if (n == 0 || hi == Double.NEGATIVE_INFINITY) {
            sb.append("<text class=\"empty\" x=\"").append(W / 2).append("\" y=\"").append(H / 2)
                    .append("\" text-anchor=\"middle\">No gain values</text></svg>");
            return sb.toString();
        }
        if (hi <= lo) hi = lo + 1;
        double[] yt = ticks(lo, hi);
        lo = Math.min(lo, yt[0]);
        hi = Math.max(hi, yt[yt.length - 1]);
        double[] xt = ticks(1, Math.max(2, n));

        // grid lines and axis labels
        sb.append("<g class=\"grid\">");
        for (double t : yt) {
            double y = y(t, lo, hi);
            line(sb, LEFT, y, LEFT + PLOT_W, y, null);
            text(sb, LEFT - 8, y + 4, "end", "tick", label(t, yt));
        }
        for (double t : xt) {
            if (t < 1 || t > n) continue;
            double x = x(t - 1, n);
            line(sb, x, TOP + PLOT_H, x, TOP + PLOT_H + 5, null);
            text(sb, x, TOP + PLOT_H + 20, "middle", "tick", label(t, xt));
        }
        sb.append("</g>");
        line(sb, LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H, "class=\"axis\"");
        line(sb, LEFT, TOP, LEFT, TOP + PLOT_H, "class=\"axis\"");
        text(sb, LEFT + PLOT_W / 2.0, H - 6, "middle", "axis-label", "Rank in summary order");
        sb.append(String.format(Locale.ROOT,
                "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(16 %.1f) rotate(-90)\">Marginal gain</text>",
                TOP + PLOT_H / 2.0));

        int k = Math.min(summarySize, n);
        if (k > 0) { // shade the summary part of the curve
            double xk = x(k - 1, n);
            sb.append(String.format(Locale.ROOT, "<rect class=\"summary-band\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                    LEFT, TOP, xk - LEFT, PLOT_H));
        }
        sb.append("<polyline id=\"gain-curve\" class=\"curve\" points=\"");
        points(sb, gains, lo, hi);
        sb.append("\"/>");
        if (k > 0) {
            double xk = x(k - 1, n);
            line(sb, xk, TOP, xk, TOP + PLOT_H, "class=\"marker\" id=\"summary-marker\"");
            boolean right = xk > LEFT + PLOT_W * 0.7; // keep the label inside the plot
            text(sb, right ? xk - 6 : xk + 6, TOP + 14, right ? "end" : "start", "marker-label",
                    String.format(Locale.ROOT, "summary size %,d", k));
        }
        return sb.append("</svg>").toString();
    }

    /** All points when few; else, per pixel column, its min and max, so the shape survives at ~2 points per px. */
    private static void points(StringBuilder sb, double[] g, double lo, double hi) {
        int n = g.length;
        if (n <= 2 * PLOT_W) {
            for (int i = 0; i < n; i++) if (Double.isFinite(g[i])) point(sb, x(i, n), y(g[i], lo, hi));
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
            point(sb, x, y(g[first], lo, hi));
            if (second != first) point(sb, x, y(g[second], lo, hi));
        }
    }

    private static double x(double i, int n) {
        return n <= 1 ? LEFT : LEFT + i * PLOT_W / (n - 1);
    }

    private static double y(double v, double lo, double hi) {
        return TOP + PLOT_H - (v - lo) / (hi - lo) * PLOT_H;
    }

    /** Round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
        double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
        int count = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) t[i] = start + i * step;
        return t;
    }

    private static String label(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (Math.abs(v) < step * 1e-6) v = 0;
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static void point(StringBuilder sb, double x, double y) {
        sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    private static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String attrs) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1, y1, x2, y2));
        if (attrs != null) sb.append(' ').append(attrs);
        sb.append("/>");
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls))
                .append(ReportWriter.html(s)).append("</text>");
    }
}
