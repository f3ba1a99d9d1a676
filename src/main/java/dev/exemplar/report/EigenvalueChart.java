package dev.exemplar.report;

import dev.exemplar.analysis.Analysis;

import java.util.Locale;

/** The graph Laplacian's eigenvalues by index as inline SVG, with the chosen number of clusters and its gap marked. */
final class EigenvalueChart {
    static final int W = 880, H = 300, LEFT = 56, RIGHT = 24, TOP = 20, BOTTOM = 48;
    static final int PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;

    private EigenvalueChart() { }

    static String svg(Analysis.Spectrum s) {
        double[] v = s.eigenvalues();
        int n = v.length;
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<svg id=\"eigen-chart\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"Eigenvalues of the graph Laplacian\">");
        double hi = 0;
        for (double x : v) hi = Math.max(hi, x);
        hi = Math.max(hi, 1e-9);
        double[] yt = Svg.ticks(0, hi);
        hi = yt[yt.length - 1];
        double[] xt = Svg.ticks(1, Math.max(2, n));
        sb.append("<g class=\"grid\">");
        for (double t : yt) {
            double y = y(t, hi);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", LEFT, y, LEFT + PLOT_W, y));
            text(sb, LEFT - 8, y + 4, "end", "tick", String.format(Locale.ROOT, "%.2f", t));
        }
        for (double t : xt) {
            if (t < 1 || t > n) continue;
            text(sb, x(t - 1, n), TOP + PLOT_H + 20, "middle", "tick", String.format(Locale.ROOT, "%,d", (long) t));
        }
        sb.append("</g>");
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H));
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP, LEFT, TOP + PLOT_H));
        text(sb, LEFT + PLOT_W / 2.0, H - 6, "middle", "axis-label", "Eigenvalue index (ascending)");
        sb.append(String.format(Locale.ROOT,
                "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(14 %.1f) rotate(-90)\">Eigenvalue</text>", TOP + PLOT_H / 2.0));
        sb.append("<polyline id=\"eigen-curve\" class=\"curve\" points=\"");
        int columns = Math.min(n, 2 * PLOT_W);
        for (int c = 0; c < columns; c++) { // at most two points per pixel column; eigenvalues ascend, so the column's last is its largest
            int i = n <= columns ? c : (int) ((long) (c + 1) * n / columns) - 1;
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, n), y(v[i], hi)));
        }
        sb.append("\"/>");
        int k = s.clusters();
        if (k >= 1 && k <= n) {
            double xk = x(k - 1, n);
            sb.append(String.format(Locale.ROOT, "<line id=\"gap-marker\" class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", xk, TOP, xk, TOP + PLOT_H));
            if (k < n) { // the gap itself, from the last eigenvalue kept to the next
                sb.append(String.format(Locale.ROOT, "<line id=\"gap\" class=\"gap\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                        xk, y(v[k - 1], hi), xk, y(v[k], hi)));
            }
            boolean right = xk > LEFT + PLOT_W * 0.6;
            String label = String.format(Locale.ROOT, "n_c = %,d", k) + (k < n ? String.format(Locale.ROOT, ", gap %.3f", v[k] - v[k - 1]) : "");
            text(sb, right ? xk - 6 : xk + 6, TOP + 14, right ? "end" : "start", "marker-label", label);
        }
        return sb.append("</svg>").toString();
    }

    private static double x(double i, int n) {
        return n <= 1 ? LEFT : LEFT + i * PLOT_W / (n - 1);
    }

    private static double y(double v, double hi) {
        return TOP + PLOT_H - v / hi * PLOT_H;
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls))
                .append(ReportWriter.html(s)).append("</text>");
    }
}
