package dev.exemplar.report;

import java.util.Locale;

/** The heat map's colour scale as inline SVG: a bar of its colours under the map, as wide, with SSIM values along it. */
final class HeatmapScale {
    static final int W = 640, H = 50, SIDE = 16, BAR_Y = 4, BAR_H = 14, BAR_W = W - 2 * SIDE;

    private HeatmapScale() { }

    /** @param stops colours at evenly spaced values from 0 to 1, as the heat map image interpolates them */
    static String svg(int[][] stops) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<svg id=\"heatmap-scale\" class=\"scale\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"Colour scale: SSIM from 0 or less to 1\">")
                .append("<defs><linearGradient id=\"heatmap-gradient\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">");
        for (int i = 0; i < stops.length; i++) {
            sb.append(String.format(Locale.ROOT, "<stop offset=\"%.3f\" stop-color=\"rgb(%d,%d,%d)\"/>",
                    (double) i / (stops.length - 1), stops[i][0], stops[i][1], stops[i][2]));
        }
        sb.append("</linearGradient></defs>");
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#heatmap-gradient)\" rx=\"2\"/>",
                SIDE, BAR_Y, BAR_W, BAR_H));
        for (int t = 0; t <= 4; t++) {
            double v = t / 4.0, x = SIDE + v * BAR_W;
            Svg.line(sb, x, BAR_Y + BAR_H, x, BAR_Y + BAR_H + 5, "class=\"axis\"");
            String label = t == 0 ? "\u2264 0" : String.format(Locale.ROOT, "%.2f", v);
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" data-value=\"%.2f\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                    v, x, BAR_Y + BAR_H + 18)).append(ReportWriter.html(label)).append("</text>");
        }
        Svg.text(sb, W / 2.0, H - 2, "middle", "axis-label", "SSIM");
        return sb.append("</svg>").toString();
    }
}
