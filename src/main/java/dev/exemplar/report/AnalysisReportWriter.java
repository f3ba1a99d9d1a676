package dev.exemplar.report;

import dev.exemplar.analysis.Analysis;
import dev.exemplar.analysis.AnalysisFile;
import dev.exemplar.json.Json;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the analysis report: {@code index.html} (inline CSS, JS, data and charts), {@code
 * heatmap.png} for the SSIM methods, and {@code thumbs/<i>.jpg} for every image the page shows.
 * The page has the figures, the similarity matrix, the Laplacian's eigenvalues with the chosen gap,
 * the redundant and influential groups, the least similar pairs, the most isolated images and the
 * test images beside their near-identical training images.
 */
public final class AnalysisReportWriter {

    private AnalysisReportWriter() { }

    public static void write(AnalysisReport report, Path dir) throws IOException {
        AnalysisFile f = report.outcome().file();
        Index index = new Index();
        Map<String, Object> data = data(f, index);
        Map<String, String> labels = report.outcome().labels();
        data.put("labels", index.keys.stream().map(k -> k.test() ? "" : labels.getOrDefault(k.name(), "")).toList());
        Path thumbs = dir.resolve("thumbs");
        Files.createDirectories(thumbs);
        List<String> keys = index.keys.stream().map(k -> (k.test() ? "t" : "r") + k.name()).toList();
        int[] dims = ThumbnailFiles.write(keys, key -> key.charAt(0) == 't'
                ? report.test().thumbnail(key.substring(1)) : report.train().thumbnail(key.substring(1)), thumbs);
        data.put("dims", dims);

        Analysis.Heatmap heatmap = report.outcome().heatmap();
        Path png = dir.resolve("heatmap.png");
        if (heatmap != null) ImageIO.write(heatmap(heatmap), "png", png.toFile());
        else Files.deleteIfExists(png);

        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("title", ReportWriter.html(report.title()));
        parts.put("nav", nav(f, heatmap != null, report.outcome().spectrum() != null));
        parts.put("figures", figures(f));
        parts.put("table", table(f.figures()));
        parts.put("missing", missing(f, heatmap != null, report.outcome().spectrum() != null));
        parts.put("matrix", heatmap == null ? "" : card("matrix", "Similarity matrix",
                "SSIM between all pairs of images. Clusters show as bright squares on the diagonal.", heatmapFigure(heatmap)));
        Analysis.Spectrum sp = report.outcome().spectrum();
        parts.put("eigen", sp == null ? "" : card("eigen", "Eigenvalues of the graph Laplacian",
                "Each group of linked images adds an eigenvalue near 0; the number of clusters ends at the first large gap.",
                "<p class=\"hint\">" + ReportWriter.html(sp.reason() + String.format(Locale.ROOT, "; %,d connected components.",
                        sp.components())) + "</p>" + EigenvalueChart.svg(sp)));
        parts.put("least", f.leastSimilarPairs() == null ? "" : card("dissimilar", "Least similar pairs",
                "The pairs of images with the lowest SSIM.", "<div id=\"least-pane\"></div>"));
        parts.put("isolated", f.isolatedItems() == null ? "" : card("isolated", "Most isolated images",
                "The images least similar to any other: outliers, or views the set has only once.", "<div id=\"isolated-pane\"></div>"));
        parts.put("overlap", f.testOverlap() == null ? "" : card("overlap", "Train/test overlap",
                "Test images beside their near-identical training image, then the test images least similar to the whole training set "
                        + "(the likely hardest).", "<div id=\"overlap-pane\"></div><h3 class=\"sub\">Test images least similar to the "
                        + "training set</h3><div id=\"isolated-test-pane\"></div>"));
        parts.put("css", ReportWriter.resource("report.css") + ReportWriter.resource("analysis.css"));
        parts.put("js", ReportWriter.resource("analysis.js"));
        parts.put("data", ReportWriter.scriptSafe(Json.MAPPER.writeValueAsString(data)));
        Files.writeString(dir.resolve("index.html"), ReportWriter.fill(ReportWriter.resource("analysis.html"), parts), StandardCharsets.UTF_8);
    }

    /** A card of the page; only the cards whose data the method produced are written, so none stands empty. */
    private static String card(String id, String title, String hint, String body) {
        return "<section id=\"" + id + "\" class=\"card\">\n    <h2>" + ReportWriter.html(title) + "</h2>\n    <p class=\"hint\">"
                + ReportWriter.html(hint) + "</p>\n    " + body + "\n  </section>";
    }

    private static String nav(AnalysisFile f, boolean heatmap, boolean spectrum) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("figures", "Figures");
        if (heatmap) links.put("matrix", "Similarity matrix");
        if (spectrum) links.put("eigen", "Eigenvalues");
        links.put("redundant", "Redundant");
        links.put("influential", "Influential");
        if (f.leastSimilarPairs() != null) links.put("dissimilar", "Least similar");
        if (f.isolatedItems() != null) links.put("isolated", "Isolated");
        if (f.testOverlap() != null) links.put("overlap", "Train/test");
        links.put("errors", "Errors");
        StringBuilder sb = new StringBuilder();
        links.forEach((id, text) -> sb.append("<a href=\"#").append(id).append("\">").append(text).append("</a>"));
        return sb.toString();
    }

    /** One line naming what this run did not compute and what would, in place of empty cards. */
    static String missing(AnalysisFile f, boolean heatmap, boolean spectrum) {
        List<String> parts = new ArrayList<>();
        if (!heatmap) parts.add("the similarity matrix (--method ssim or ssim-threshold)");
        if (!spectrum) parts.add("the Laplacian's eigenvalues (--method ssim)");
        if (f.leastSimilarPairs() == null) parts.add("the least similar pairs (--method ssim or ssim-threshold)");
        if (f.isolatedItems() == null) parts.add("the most isolated images (two or more images)");
        if (f.testOverlap() == null) parts.add("the train/test overlap (--test)");
        if (parts.isEmpty()) return "";
        return "<p id=\"not-computed\" class=\"hint\">Not computed by this run: " + ReportWriter.html(String.join("; ", parts)) + ".</p>";
    }

    private static String heatmapFigure(Analysis.Heatmap heatmap) {
        int cell = (heatmap.items() + heatmap.side() - 1) / heatmap.side();
        return String.format(Locale.ROOT, "<figure class=\"heatmap\"><img id=\"heatmap\" src=\"heatmap.png\" width=\"%d\" height=\"%d\" "
                        + "alt=\"SSIM of all pairs\">%s<figcaption>%,d images in cluster order, largest clusters first%s.</figcaption></figure>",
                heatmap.side(), heatmap.side(), HeatmapScale.svg(HEATMAP_STOPS), heatmap.items(),
                heatmap.side() < heatmap.items() ? String.format(Locale.ROOT, ", each pixel the mean of about %,d x %,d pairs", cell, cell) : "");
    }

    /** An item of the page: a training or a test image by name. */
    private record Key(boolean test, String name) { }

    /** Numbers the images the page shows, so thumbnails are named by number, never by path. */
    private static final class Index {
        final Map<Key, Integer> ids = new LinkedHashMap<>();
        final List<Key> keys = new ArrayList<>();
        final List<String> names = new ArrayList<>(), sets = new ArrayList<>();

        int of(boolean test, String name) {
            return ids.computeIfAbsent(new Key(test, name), k -> {
                keys.add(k);
                names.add(name);
                sets.add(test ? "test" : "train");
                return keys.size() - 1;
            });
        }
    }

    private static Map<String, Object> data(AnalysisFile f, Index ix) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Object> redundant = new ArrayList<>();
        for (AnalysisFile.Group g : f.redundantGroups()) {
            redundant.add(List.of(ix.of(false, g.kept()), g.items().stream().map(i -> ix.of(false, i)).toList(), g.classes()));
        }
        List<Object> influential = new ArrayList<>();
        for (AnalysisFile.Group g : f.influentialGroups()) influential.add(List.of(g.items().stream().map(i -> ix.of(false, i)).toList(), g.classes()));
        List<Object> least = new ArrayList<>();
        for (AnalysisFile.SimilarPair p : list(f.leastSimilarPairs())) least.add(List.of(ix.of(false, p.a()), ix.of(false, p.b()), p.similarity()));
        List<Object> isolated = new ArrayList<>();
        for (AnalysisFile.Isolated i : list(f.isolatedItems())) isolated.add(List.of(ix.of(false, i.item()), i.similarity(), ix.of(false, i.nearest())));
        List<Object> overlap = new ArrayList<>();
        if (f.testOverlap() != null) {
            for (AnalysisFile.TestItem t : f.testOverlap().items()) {
                if (t.nearIdentical() == null) continue;
                double cosine = t.nearest().stream().filter(nb -> nb.item().equals(t.nearIdentical())).mapToDouble(AnalysisFile.Neighbour::similarity).findFirst().orElse(Double.NaN);
                overlap.add(List.of(ix.of(true, t.item()), ix.of(false, t.nearIdentical()), t.ssim(), cosine));
            }
        }
        List<Object> isolatedTest = new ArrayList<>();
        for (AnalysisFile.Isolated i : list(f.isolatedTestItems())) isolatedTest.add(List.of(ix.of(true, i.item()), i.similarity(), ix.of(false, i.nearest())));
        d.put("items", ix.names);
        d.put("sets", ix.sets);
        d.put("redundant", redundant);
        d.put("influential", influential);
        d.put("least", least);
        d.put("isolated", isolated);
        d.put("hasTest", f.testOverlap() != null);
        d.put("overlap", overlap);
        d.put("isolatedTest", isolatedTest);
        d.put("errors", list(f.errors()).stream().map(e -> List.of(e.item(), e.error())).toList());
        return d;
    }

    private static String figures(AnalysisFile f) {
        StringBuilder sb = new StringBuilder();
        AnalysisFile.Figures g = f.figures();
        int redundantItems = f.redundantGroups().stream().mapToInt(x -> x.items().size()).sum();
        int influentialItems = f.influentialGroups().stream().mapToInt(x -> x.items().size()).sum();
        figure(sb, "Images", String.format(Locale.ROOT, "%,d", g.n()), g.classes() + " classes");
        figure(sb, "Method", f.method(), g.clusters() == null ? null : String.format(Locale.ROOT, "n_c = %,d", g.clusters()));
        figure(sb, "Redundant groups", String.format(Locale.ROOT, "%,d", f.redundantGroups().size()), String.format(Locale.ROOT, "%,d images", redundantItems));
        figure(sb, "Influential groups", String.format(Locale.ROOT, "%,d", f.influentialGroups().size()), String.format(Locale.ROOT, "%,d images", influentialItems));
        figure(sb, "Reduced set", String.format(Locale.ROOT, "%,d", f.reducedSet().size()),
                String.format(Locale.ROOT, "%.1f%% of the images", 100.0 * f.reducedSet().size() / Math.max(1, g.n())));
        if (f.testOverlap() != null) {
            figure(sb, "Test overlap", String.format(Locale.ROOT, "%.1f%%", 100 * f.testOverlap().share()), String.format(Locale.ROOT,
                    "%,d of %,d test images have a near-identical training image", f.testOverlap().nearIdentical(), f.testOverlap().testItems()));
        }
        return sb.toString();
    }

    private static void figure(StringBuilder sb, String label, String value, String note) {
        sb.append("<div class=\"fig\"><div class=\"fig-value\">").append(ReportWriter.html(value))
                .append("</div><div class=\"fig-label\">").append(ReportWriter.html(label)).append("</div>");
        if (note != null) sb.append("<div class=\"fig-note\">").append(ReportWriter.html(note)).append("</div>");
        sb.append("</div>");
    }

    /** The paper-style figures as a two-column table, the ones the method has. */
    private static String table(AnalysisFile.Figures g) {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("n (images)", g.n());
        rows.put("d (values per image)", g.d());
        rows.put("non-constant coefficients", g.nonConstant());
        rows.put("m (kept coefficients)", g.m());
        rows.put("condition number before", g.conditionBefore() == null ? null : String.format(Locale.ROOT, "%.3g", g.conditionBefore()));
        rows.put("condition number after", g.conditionAfter() == null ? null : String.format(Locale.ROOT, "%.3g", g.conditionAfter()));
        rows.put("numerical rank", g.numericalRank());
        rows.put("n_c (clusters)", g.clusters());
        rows.put("how n_c was chosen", g.clusterRule());
        rows.put("classes", g.classes());
        rows.put("SSIM link level", g.linkLevel() == null ? null : String.format(Locale.ROOT, "%.3f", g.linkLevel()));
        rows.put("connected components", g.components());
        rows.put("eigengap gamma", g.gamma());
        rows.put("threshold", g.threshold());
        rows.put("kept share", g.keep() == null ? null : String.format(Locale.ROOT, "%.1f%%", 100 * g.keep()));
        rows.put("linkage", g.linkage());
        rows.put("classes split (approximate)", g.splitClasses() == null ? null : String.join(", ", g.splitClasses()));
        rows.put("images without a vector", g.withoutVector());
        StringBuilder t = new StringBuilder();
        g.seconds().forEach((phase, s) -> t.append(t.length() == 0 ? "" : ", ").append(phase).append(String.format(Locale.ROOT, " %.2f s", s)));
        rows.put("seconds", t.toString());
        StringBuilder sb = new StringBuilder("<table class=\"figures-table\"><tbody>");
        rows.forEach((k, v) -> {
            if (v == null) return;
            sb.append("<tr><td>").append(ReportWriter.html(k)).append("</td><td>")
                    .append(ReportWriter.html(v instanceof Integer i ? String.format(Locale.ROOT, "%,d", i) : String.valueOf(v))).append("</td></tr>");
        });
        return sb.append("</tbody></table>").toString();
    }

    /** The heat map's colours at SSIM 0 (or less), 0.5 and 1: dark blue through teal to yellow. */
    static final int[][] HEATMAP_STOPS = {{48, 18, 59}, {33, 145, 140}, {253, 231, 37}};

    /** The heat map as an image: one pixel per cell, coloured along {@link #HEATMAP_STOPS}. */
    static BufferedImage heatmap(Analysis.Heatmap h) {
        int side = h.side();
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        int[][] stops = HEATMAP_STOPS;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                double v = Math.max(0, Math.min(1, h.values()[r * side + c])) * (stops.length - 1);
                int lo = Math.min(stops.length - 2, (int) v);
                double f = v - lo;
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) rgb = rgb << 8 | (int) Math.round(stops[lo][ch] + f * (stops[lo + 1][ch] - stops[lo][ch]));
                img.setRGB(c, r, rgb);
            }
        }
        return img;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
