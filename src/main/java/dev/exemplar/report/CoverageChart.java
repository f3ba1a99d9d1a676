package dev.exemplar.report;

import dev.exemplar.summary.Coverage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The coverage curve as inline SVG: for each summary size k, the share of the items the first k cover, with the
 * sizes that reach a few round shares labelled and the chosen size marked, to pick a labelling budget from.
 */
final class CoverageChart {
    static final int W = 880, H = 320, LEFT = 64, RIGHT = 24, TOP = 28, BOTTOM = 48;
    static final int PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;
    /** The shares whose smallest summary sizes are labelled. */
    static final double[] SHARES = {0.5, 0.8, 0.9};

    private CoverageChart() { }

    /** A labelled point: the smallest summary size k that covers the share. */
    record Point(double share, int k) { }

    static List<Point> points(Coverage c) {
        List<Point> out = new ArrayList<>();
        for (double share : SHARES) {
            int k = c.sizeFor(share);
            if (k >= 0) out.add(new Point(share, k));
        }
        return out;
    }

    /** One sentence with the labelled points and the chosen size's share, for reading without the chart. */
    static String sentence(Coverage c, int summarySize) {
        StringBuilder sb = new StringBuilder();
        for (Point p : points(c)) {
            sb.append(sb.length() == 0 ? "" : ", ").append(percent(p.share())).append(" at k=").append(String.format(Locale.ROOT, "%,d", p.k()));
        }
        if (sb.length() > 0) sb.append("; ");
        return sb.append(String.format(Locale.ROOT, "the summary of %,d covers %s (%,d of %,d items).", summarySize,
                percent(c.share(summarySize)), c.covered(summarySize), c.items())).toString();
    }

    static String svg(Coverage c, int summarySize) {
        int n = c.items();
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<svg id=\"coverage-chart\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"Share of items covered by summary size\">");
        if (n == 0) {
            Svg.text(sb, W / 2.0, H / 2.0, "middle", "empty", "No items");
            return sb.append("</svg>").toString();
        }
        sb.append("<g class=\"grid\">");
        for (int p = 0; p <= 100; p += 25) {
            double y = y(p / 100.0);
            Svg.line(sb, LEFT, y, LEFT + PLOT_W, y, null);
            Svg.text(sb, LEFT - 8, y + 4, "end", "tick", p + "%");
        }
        double[] xt = Svg.ticks(0, n);
        for (double t : xt) {
            if (t < 0 || t > n) continue;
            double x = x(t, n);
            Svg.line(sb, x, TOP + PLOT_H, x, TOP + PLOT_H + 5, null);
            Svg.text(sb, x, TOP + PLOT_H + 20, "middle", "tick", Svg.label(t, xt));
        }
        sb.append("</g>");
        Svg.axes(sb, LEFT, TOP, PLOT_W, PLOT_H, H, "Summary size k", "Items covered");

        sb.append("<polyline id=\"coverage-curve\" class=\"curve\" points=\"");
        curve(sb, c);
        sb.append("\"/>");

        int k = Math.max(0, Math.min(summarySize, n));
        double xk = x(k, n);
        boolean right = xk > LEFT + PLOT_W * 0.6;
        Svg.line(sb, xk, TOP, xk, TOP + PLOT_H, "class=\"marker\" id=\"coverage-marker\" data-k=\"" + k + "\"");
        Svg.text(sb, right ? xk - 6 : xk + 6, TOP - 10, right ? "end" : "start", "marker-label",
                String.format(Locale.ROOT, "summary %,d: %s covered", k, percent(c.share(k))));
        for (Point p : points(c)) {
            double x = x(p.k(), n), y = y(c.share(p.k()));
            boolean left = x > LEFT + PLOT_W * 0.75; // keep the label inside the plot
            sb.append(String.format(Locale.ROOT, "<g class=\"coverage-point\" data-share=\"%s\" data-k=\"%d\" data-covered=\"%d\">",
                    Svg.number(p.share()), p.k(), c.covered(p.k())));
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y));
            Svg.text(sb, left ? x - 8 : x + 8, y + 14, left ? "end" : "start", "point-label",
                    String.format(Locale.ROOT, "%s at k=%,d", percent(p.share()), p.k()));
            sb.append("</g>");
        }
        return sb.append("</svg>").toString();
    }

    /** Every size when few; else per pixel column its first and last size (the curve only rises, so these are its min and max). */
    private static void curve(StringBuilder sb, Coverage c) {
        int n = c.items();
        if (n + 1 <= 2 * PLOT_W) {
            for (int k = 0; k <= n; k++) Svg.point(sb, x(k, n), y(c.share(k)));
            return;
        }
        for (int col = 0; col < PLOT_W; col++) {
            int from = (int) ((long) col * (n + 1) / PLOT_W), to = (int) ((long) (col + 1) * (n + 1) / PLOT_W) - 1;
            Svg.point(sb, x(from, n), y(c.share(from)));
            if (to > from) Svg.point(sb, x(to, n), y(c.share(to)));
        }
    }

    /** Rounded down to a tenth of a percent, so a share short of all never reads 100%. */
    static String percent(double share) {
        double p = Math.floor(1000 * share + 1e-9) / 10;
        return p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
    }

    static double x(double k, int n) {
        return LEFT + k * PLOT_W / Math.max(1, n);
    }

    static double y(double share) {
        return TOP + PLOT_H - share * PLOT_H;
    }
}
