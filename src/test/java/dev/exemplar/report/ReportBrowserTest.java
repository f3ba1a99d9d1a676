package dev.exemplar.report;

import dev.exemplar.summary.Result;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Opens reports in headless Chromium and checks what the page built and loaded. */
class ReportBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    @Test
    void smallReportRendersGridsCurveAndLinks(@TempDir Path dir) throws Exception {
        Chromium.require();
        Map<String, BufferedImage> pictures = Fixtures.pictures(40);
        List<String> names = new ArrayList<>(pictures.keySet());
        int k = 12;
        Result result = Fixtures.result(names, k, List.of(
                new Result.ItemError("broken/scan 0042.jpg", "not an image: unknown format"),
                new Result.ItemError("<b>odd</b> name.png", "truncated file: 1,204 of 88,311 bytes"),
                new Result.ItemError("</script><img src=x onerror=alert(1)>.jpg", "empty file")));
        ReportWriter.write(new Report(result, Fixtures.gains(names.size()),
                "knee of the marginal gain curve", item -> pictures.get(item), "Living rooms"), dir);
        Path page = dir.resolve("index.html");

        String dom = Chromium.dumpDom(page, 1400, 1800);
        assertThat(attr(tag(dom, "body"), "data-ready")).isEqualTo("1");
        assertThat(attr(tag(dom, "body"), "data-broken")).isEqualTo("0");
        assertThat(attr(tag(dom, "body"), "data-first-render-ms")).matches("\\d+");

        String grid = tag(dom, "div[^>]*id=\"summary-grid\"");
        assertThat(attr(grid, "data-summary-loaded")).isEqualTo(String.valueOf(k));
        String summaryPane = between(dom, "id=\"summary-grid\"", "id=\"sample-pane\"");
        assertThat(count(summaryPane, "<img ")).isEqualTo(k);
        String samplePane = between(dom, "id=\"sample-pane\"", "id=\"gain\"");
        assertThat(count(samplePane, "<img ")).isEqualTo(k);

        assertThat(dom).containsPattern("<polyline id=\"gain-curve\"[^>]*points=\"[0-9., ]{40,}\"");
        assertThat(dom).contains("id=\"summary-marker\"").contains("summary size " + k);

        // The first constituent (rank k+1) beside its delegates, all pictures loaded.
        Matcher row = Pattern.compile("<div class=\"link-row\"[^>]*>").matcher(dom);
        assertThat(row.find()).isTrue();
        String rowTag = row.group();
        int imgs = Integer.parseInt(attr(rowTag, "data-imgs"));
        assertThat(imgs).isEqualTo(1 + result.links().get(names.get(k)).size());
        assertThat(attr(rowTag, "data-loaded")).isEqualTo(String.valueOf(imgs));
        String rowHtml = dom.substring(row.start(), dom.indexOf("class=\"link-row\"", row.end()));
        assertThat(rowHtml).contains(names.get(k)).contains("%");

        assertThat(dom).contains("not an image: unknown format").contains("&lt;b&gt;odd&lt;/b&gt; name.png")
                .contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.jpg").doesNotContain("<img src=\"x\"");

        Files.createDirectories(SCREENSHOT.getParent());
        Chromium.screenshot(page, SCREENSHOT, 1400, 1800);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    /** 10,000 items: records first-render time and page size; asserts only that it renders, paged. */
    @Test
    void largeReportRendersFirstPage(@TempDir Path dir) throws Exception {
        Chromium.require();
        Map<String, BufferedImage> pictures = Fixtures.pictures(40);
        List<BufferedImage> pics = new ArrayList<>(pictures.values());
        int n = 10_000, k = 1_000;
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(String.format("shoot-%02d/camera %d/IMG_%05d.jpg", i % 37, i % 5, i));
        Result result = Fixtures.result(names, k, List.of());
        long t0 = System.nanoTime();
        ReportWriter.write(new Report(result, Fixtures.gains(n), "knee of the marginal gain curve",
                item -> pics.get(Integer.parseInt(item.substring(item.length() - 9, item.length() - 4)) % pics.size()),
                "10,000 items"), dir);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        Path page = dir.resolve("index.html");

        String dom = Chromium.dumpDom(page, 1400, 1800);
        String body = tag(dom, "body");
        assertThat(attr(body, "data-ready")).isEqualTo("1");
        String grid = tag(dom, "div[^>]*id=\"summary-grid\"");
        assertThat(attr(grid, "data-shown")).isEqualTo("200");
        assertThat(count(between(dom, "id=\"summary-grid\"", "id=\"sample-pane\""), "<img ")).isEqualTo(200);
        assertThat(count(dom, "<img ")).isLessThan(1_000); // paged, not 10,000 images
        assertThat(count(dom, "class=\"link-row\"")).isEqualTo(50);

        System.out.printf("10,000-item report: first render %s ms in headless Chromium, index.html %,d bytes,"
                        + " written in %,d ms%n", attr(body, "data-first-render-ms"), Files.size(page), writeMs);
    }

    static String tag(String html, String open) {
        Matcher m = Pattern.compile("<" + open + "[^>]*>").matcher(html);
        assertThat(m.find()).as("element <%s> in the DOM", open).isTrue();
        return m.group();
    }

    static String attr(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : null;
    }

    static String between(String s, String from, String to) {
        int a = s.indexOf(from), b = s.indexOf(to, Math.max(a, 0));
        assertThat(a).as(from).isGreaterThanOrEqualTo(0);
        assertThat(b).as(to).isGreaterThan(a);
        return s.substring(a, b);
    }

    static int count(String s, String what) {
        int c = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) c++;
        return c;
    }
}
