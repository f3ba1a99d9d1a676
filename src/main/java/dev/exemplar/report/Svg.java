package dev.exemplar.report;

import java.util.Locale;

/** Pieces of the reports' inline SVG charts: lines, text and round tick values. */
final class Svg {
    private Svg() { }

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

    /** A tick value with as many decimals as the step between ticks needs. */
    static String label(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (Math.abs(v) < step * 1e-6) v = 0;
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** A number without trailing zeros: 0.5, 12, 1,200, 0.0333. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static void point(StringBuilder sb, double x, double y) {
        sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String attrs) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1, y1, x2, y2));
        if (attrs != null) sb.append(' ').append(attrs);
        sb.append("/>");
    }

    static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls))
                .append(ReportWriter.html(s)).append("</text>");
    }

    /** The two axes of a plot at (left, top), of plotW by plotH in a picture h high, with their titles. */
    static void axes(StringBuilder sb, int left, int top, int plotW, int plotH, int h, String xTitle, String yTitle) {
        line(sb, left, top + plotH, left + plotW, top + plotH, "class=\"axis\"");
        line(sb, left, top, left, top + plotH, "class=\"axis\"");
        text(sb, left + plotW / 2.0, h - 6, "middle", "axis-label", xTitle);
        verticalTitle(sb, 16, top + plotH / 2.0, yTitle);
    }

    /** The vertical axis title, turned to read upwards. */
    static void verticalTitle(StringBuilder sb, double x, double y, String s) {
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(%.1f %.1f) rotate(-90)\">",
                x, y)).append(ReportWriter.html(s)).append("</text>");
    }
}
