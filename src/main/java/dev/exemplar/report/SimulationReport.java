package dev.exemplar.report;

import dev.exemplar.propagation.Simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The page of a simulated labelling: per share of the queue labelled, the accuracy and the coverage of the
 * propagated labels at or above each confidence, drawn against the confidence, with the target accuracy and
 * the confidence recommended for it marked; then the effort of each share.
 */
public final class SimulationReport {
    private static final int W = 560, H = 300, LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 44;
    private static final int PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;

    private SimulationReport() { }

    /** Writes {@code index.html} into {@code dir}. */
    public static void write(String title, List<Simulation.Outcome> outcomes, double target, Path dir) throws IOException {
        Files.createDirectories(dir);
        Simulation.Outcome best = Simulation.best(outcomes);
        StringBuilder sb = new StringBuilder(16384);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(ReportWriter.html(title)).append("</title><style>").append(ReportWriter.resource("report.css"))
                .append(CSS).append("</style></head><body><main><h1>").append(ReportWriter.html(title)).append("</h1>");
        sb.append(String.format(Locale.ROOT, "<p id=\"verdict\">Least effort: label the first %d%% of the queue (%,d items) "
                        + "and trust propagated labels from confidence %s: people label %.1f%% of the project.</p>",
                best.percent(), best.labelled(), confidence(best.recommendedConfidence()), 100 * best.effort()));
        sb.append("<table id=\"efforts\"><thead><tr><th>labelled</th><th>trusted from confidence</th><th>coverage of the rest</th>"
                + "<th>accuracy</th><th>trusted delegates / constituents</th><th>effort</th><th>confidence calibrated</th></tr></thead><tbody>");
        for (Simulation.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%d%% (%,d)</td><td>%s</td><td>%.3f</td><td>%s</td><td>%,d / %,d</td>"
                            + "<td>%.3f</td><td>%s</td></tr>",
                    o.percent(), o.labelled(), confidence(o.recommendedConfidence()), o.coverage(),
                    Double.isNaN(o.accuracy()) ? "-" : String.format(Locale.ROOT, "%.3f", o.accuracy()), o.trustedDelegates(),
                    o.trustedConstituents(), o.effort(), o.calibrated() ? "yes" : "no"));
        }
        sb.append("</tbody></table><div class=\"charts\">");
        for (Simulation.Outcome o : outcomes) sb.append(chart(o, target));
        sb.append("</div></main></body></html>");
        Files.writeString(dir.resolve("index.html"), sb, StandardCharsets.UTF_8);
    }

    private static String confidence(double c) {
        return Double.isNaN(c) ? "none (the target is not met)" : String.format(Locale.ROOT, "%.3f", c);
    }

    /** Accuracy and coverage at or above each confidence, as steps, with the target and the recommended confidence. */
    static String chart(Simulation.Outcome o, double target) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append(String.format(Locale.ROOT, "<figure><figcaption>%d%% of the queue labelled</figcaption>"
                + "<svg class=\"chart\" id=\"chart-%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Accuracy and coverage "
                + "against confidence, %d%% labelled\">", o.percent(), o.percent(), W, H, o.percent()));
        for (int t = 0; t <= 10; t += 2) {
            double v = t / 10.0;
            line(sb, LEFT, y(v), LEFT + PLOT_W, y(v), "class=\"grid\"");
            text(sb, LEFT - 6, y(v) + 4, "end", String.format(Locale.ROOT, "%.1f", v));
            text(sb, x(v), TOP + PLOT_H + 18, "middle", String.format(Locale.ROOT, "%.1f", v));
        }
        text(sb, LEFT + PLOT_W / 2.0, H - 6, "middle", "confidence at least");
        line(sb, LEFT, y(target), LEFT + PLOT_W, y(target), "class=\"target\"");
        text(sb, LEFT + PLOT_W - 4, y(target) - 4, "end", String.format(Locale.ROOT, "target %.2f", target));
        if (!Double.isNaN(o.recommendedConfidence())) {
            double xr = x(o.recommendedConfidence());
            line(sb, xr, TOP, xr, TOP + PLOT_H, "class=\"recommended\"");
        }
        polyline(sb, o.curve(), true, "accuracy");
        polyline(sb, o.curve(), false, "coverage");
        text(sb, LEFT + 8, TOP + 14, "start", "— accuracy");
        text(sb, LEFT + 90, TOP + 14, "start", "- - coverage");
        return sb.append("</svg></figure>").toString();
    }

    private static void polyline(StringBuilder sb, List<Simulation.Point> curve, boolean accuracy, String cls) {
        sb.append("<polyline class=\"").append(cls).append("\" points=\"");
        for (Simulation.Point p : curve) {
            double v = accuracy ? p.accuracy() : p.coverage();
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.confidence()), y(v)));
        }
        sb.append("\"/>");
    }

    private static double x(double c) {
        return LEFT + c * PLOT_W;
    }

    private static double y(double v) {
        return TOP + PLOT_H - Math.max(0, Math.min(1, v)) * PLOT_H;
    }

    private static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String attrs) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>", x1, y1, x2, y2, attrs));
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"tick\">", x, y, anchor))
                .append(ReportWriter.html(s)).append("</text>");
    }

    private static final String CSS = """
            main{max-width:1200px;margin:0 auto;padding:16px}
            #efforts{border-collapse:collapse;margin:12px 0}#efforts td,#efforts th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
            .charts{display:flex;flex-wrap:wrap;gap:16px}.charts figure{margin:0;width:560px}
            .chart .grid{stroke:#e3e3e3}.chart .target{stroke:#c0392b;stroke-dasharray:2 3}.chart .recommended{stroke:#888;stroke-dasharray:4 3}
            .chart polyline{fill:none;stroke-width:2}.chart .accuracy{stroke:#1f6fb2}.chart .coverage{stroke:#2e8b57;stroke-dasharray:6 4}
            .chart .tick{font-size:11px;fill:#444}
            """;
}
