package dev.exemplar.report;

import dev.exemplar.analysis.Analysis;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Progress;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.exemplar.report.ReportBrowserTest.attr;
import static dev.exemplar.report.ReportBrowserTest.between;
import static dev.exemplar.report.ReportBrowserTest.count;
import static dev.exemplar.report.ReportBrowserTest.tag;
import static org.assertj.core.api.Assertions.assertThat;

/** Opens an analysis report (SSIM method, with a test set) in headless Chromium and checks its pictures and plots. */
class AnalysisReportBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "analysis-report-screenshot.png");

    @Test
    void reportRendersHeatmapEigenvaluesGroupsAndTrainTestPairs(@TempDir Path dir) throws Exception {
        Chromium.require();
        Map<String, BufferedImage> pictures = Fixtures.pictures(20);
        List<String> names = new ArrayList<>(pictures.keySet());
        Map<String, BufferedImage> byName = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        List<Item> train = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = (i % 2 == 0 ? "a/" : "b/") + i + ".png";
            add(train, byName, name, pictures.get(names.get(i)));
            labels.put(name, name.substring(0, 1));
        }
        // a copy in the same class (redundant) and one in the other class (influential)
        add(train, byName, "a/0-copy.png", pictures.get(names.get(0)));
        labels.put("a/0-copy.png", "a");
        add(train, byName, "a/1-copy.png", pictures.get(names.get(1)));
        labels.put("a/1-copy.png", "a");
        List<Item> test = new ArrayList<>();
        Map<String, BufferedImage> testByName = new HashMap<>();
        add(test, testByName, "copy-of-4.png", pictures.get(names.get(4)));
        add(test, testByName, "new.png", Fixtures.synthetic(77));

        Analysis.Options defaults = Analysis.Options.defaults();
        Analysis.Options o = new Analysis.Options(Analysis.Method.SSIM, 0, Double.NaN, defaults.gamma(), defaults.keep(), defaults.linkage(),
                defaults.maxItems(), defaults.maxClass(), false, Map.of(), defaults.loader(), defaults.seed());
        Analysis.Outcome outcome = Analysis.run(train, test, labels::get, o, Progress.NONE);
        AnalysisReportWriter.write(new AnalysisReport(outcome, byName::get, testByName::get, "Rooms <analysis>"), dir);
        Path page = dir.resolve("index.html");

        String dom = Chromium.dumpDom(page, 1400, 2400);
        String body = tag(dom, "body");
        assertThat(attr(body, "data-ready")).isEqualTo("1");
        assertThat(attr(body, "data-broken")).isEqualTo("0");
        assertThat(attr(body, "data-heatmap-width")).isEqualTo(String.valueOf(outcome.heatmap().side()));
        assertThat(dom).contains("Rooms &lt;analysis&gt;");

        // the heat map's colour scale, from "0 or less" to 1
        String scale = between(dom, "<svg id=\"heatmap-scale\"", "</svg>");
        assertThat(scale).contains("linearGradient").contains(">\u2264 0<").contains(">0.50<").contains(">1.00<").contains(">SSIM<");
        assertThat(dom).doesNotContain("id=\"not-computed\""); // this run computed every card

        assertThat(dom).containsPattern("<polyline id=\"eigen-curve\"[^>]*points=\"[0-9., ]{40,}\"");
        assertThat(dom).contains("id=\"gap-marker\"").contains("n_c = " + outcome.spectrum().clusters());

        // every picture of the first redundant and the first influential group, and of the pairs, is loaded
        for (String pane : List.of("redundant-pane", "influential-pane", "least-pane", "overlap-pane", "isolated-pane")) {
            String html = between(dom, "id=\"" + pane + "\"", "</section>");
            Matcher box = Pattern.compile("<div class=\"(grid|pairs)\"[^>]*>").matcher(html);
            assertThat(box.find()).as(pane).isTrue();
            int imgs = Integer.parseInt(attr(box.group(), "data-imgs"));
            assertThat(imgs).as(pane).isGreaterThan(0);
            assertThat(attr(box.group(), "data-loaded")).as(pane).isEqualTo(String.valueOf(imgs));
        }
        String redundant = between(dom, "id=\"redundant-pane\"", "id=\"influential\"");
        assertThat(redundant).contains("a/0-copy.png").contains(">kept<");
        String influential = between(dom, "id=\"influential-pane\"", "id=\"dissimilar\"");
        assertThat(influential).contains("b/1.png").contains("a/1-copy.png");
        String overlap = between(dom, "id=\"overlap-pane\"", "id=\"isolated-test-pane\"");
        assertThat(overlap).contains("copy-of-4.png").contains("a/4.png");
        assertThat(count(between(dom, "id=\"isolated-test-pane\"", "id=\"errors\""), "<img ")).isEqualTo(2);

        Files.createDirectories(SCREENSHOT.getParent());
        Chromium.screenshot(page, SCREENSHOT, 1400, 2400);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    /** The wavelet method computes no similarity matrix, eigenvalues or pairs: the page leaves those cards out and says so once. */
    @Test
    void waveletReportHasNoEmptyCards(@TempDir Path dir) throws Exception {
        Chromium.require();
        Map<String, BufferedImage> pictures = Fixtures.pictures(16);
        Map<String, BufferedImage> byName = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        List<Item> train = new ArrayList<>();
        int i = 0;
        for (BufferedImage img : pictures.values()) {
            String name = (i % 2 == 0 ? "a/" : "b/") + i++ + ".png";
            add(train, byName, name, img);
            labels.put(name, name.substring(0, 1));
        }
        add(train, byName, "a/0-copy.png", pictures.values().iterator().next());
        labels.put("a/0-copy.png", "a");
        Analysis.Outcome outcome = Analysis.run(train, List.of(), labels::get, Analysis.Options.defaults(), Progress.NONE);
        assertThat(outcome.file().method()).isEqualTo("wavelet");
        AnalysisReportWriter.write(new AnalysisReport(outcome, byName::get, null, "Wavelet"), dir);

        String dom = Chromium.dumpDom(dir.resolve("index.html"), 1400, 2400);
        assertThat(attr(tag(dom, "body"), "data-ready")).isEqualTo("1");
        assertThat(dom).doesNotContain("id=\"matrix\"").doesNotContain("id=\"eigen\"").doesNotContain("id=\"dissimilar\"")
                .doesNotContain("id=\"overlap\"").doesNotContain("href=\"#matrix\"").doesNotContain("href=\"#eigen\"");
        assertThat(dir.resolve("heatmap.png")).doesNotExist();
        assertThat(between(dom, "id=\"not-computed\"", "</p>")).contains("the similarity matrix (--method ssim or ssim-threshold)")
                .contains("the Laplacian's eigenvalues (--method ssim)").contains("the train/test overlap (--test)");

        // every card left has content: a picture, a table or a one-line answer
        Matcher card = Pattern.compile("<section id=\"(\\w+)\" class=\"card\">(.*?)</section>", Pattern.DOTALL).matcher(dom);
        int cards = 0;
        while (card.find()) {
            cards++;
            String body = card.group(2).replaceAll("(?s)<h2>.*?</h2>|<p class=\"hint\">.*?</p>", "");
            assertThat(body).as(card.group(1)).containsPattern("<img |<table|<p class=\"empty\">\\S");
        }
        assertThat(cards).isEqualTo(5); // figures, redundant, influential, isolated, errors
    }

    private static void add(List<Item> items, Map<String, BufferedImage> byName, String name, BufferedImage img) {
        byte[] png = png(img);
        items.add(new Item(name, () -> png));
        byName.put(name, img);
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
