package dev.exemplar.report;

import dev.exemplar.summary.Coverage;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        ReportWriter.write(new Report(result, Fixtures.gains(names.size()), null,
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
        String samplePane = between(dom, "id=\"sample-pane\"", "id=\"links\"");
        assertThat(count(samplePane, "<img ")).isEqualTo(k);

        assertThat(dom).containsPattern("<polyline id=\"gain-curve\"[^>]*points=\"[0-9., ]{40,}\"");
        assertThat(dom).contains("id=\"summary-marker\"").contains("summary: " + k + " of " + names.size());

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
        ReportWriter.write(new Report(result, Fixtures.gains(n), null, "knee of the marginal gain curve",
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

    /**
     * A real run over pictures with planted copies: the chart's threshold and marker agree with the gains, the coverage
     * points with the engine's coverage, and every duplicate group names its members and marks one kept.
     */
    @Test
    void realRunExplainsItsSizeCoverageAndDuplicates(@TempDir Path dir) throws Exception {
        Chromium.require();
        Map<String, BufferedImage> pictures = new LinkedHashMap<>(Fixtures.pictures(30));
        List<String> originals = new ArrayList<>(pictures.keySet());
        for (int i = 0; i < 6; i++) { // slightly smaller copies, as a re-export would make
            BufferedImage src = pictures.get(originals.get(i * 4));
            pictures.put("copies/copy-of-" + i + "-with-a-rather-long-name.jpg",
                    ThumbnailFiles.scale(ThumbnailFiles.scale(src))); // re-encoded at the report's size
        }
        List<Item> items = new ArrayList<>();
        for (Map.Entry<String, BufferedImage> e : pictures.entrySet()) {
            byte[] png = png(e.getValue());
            items.add(new Item(e.getKey(), () -> png));
        }
        Pipeline.Run run = Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE);
        Result result = run.result();
        int n = result.order().size(), k = result.summarySize();
        Coverage coverage = Coverage.of(run.neighbours(), n);
        String title = ReportTitle.summary(Path.of("shoots", "living-rooms", "images"), n);
        ReportWriter.write(new Report(result, run.gains(), coverage, run.sizeReason(), pictures::get, title), dir);
        Path page = dir.resolve("index.html");
        String dom = Chromium.dumpDom(page, 1400, 2400);
        assertThat(attr(tag(dom, "body"), "data-ready")).isEqualTo("1");
        assertThat(attr(tag(dom, "body"), "data-broken")).isEqualTo("0");

        assertThat(title).isEqualTo("Exemplar summary: living-rooms (" + n + " images)");
        assertThat(dom).contains("<title>" + title + "</title>").contains("<h1>" + title + "</h1>");

        // the curve crosses the threshold line at the marker: the k-th gain on or above it, the next below it
        assertThat(result.duplicates()).isNotEmpty();
        assertThat(k).isLessThan(n);
        assertThat(run.gains()[k - 1]).isGreaterThanOrEqualTo(0.5);
        String threshold = tag(dom, "line[^>]*id=\"gain-threshold\"");
        assertThat(attr(threshold, "data-value")).isEqualTo("0.5");
        double thresholdY = Double.parseDouble(attr(threshold, "y1"));
        String marker = tag(dom, "line[^>]*id=\"summary-marker\"");
        assertThat(attr(marker, "data-rank")).isEqualTo(String.valueOf(k));
        String[] points = attr(tag(dom, "polyline id=\"gain-curve\""), "points").trim().split(" ");
        assertThat(points).hasSize(n);
        assertThat(attr(marker, "x1")).isEqualTo(points[k - 1].split(",")[0]);
        assertThat(Double.parseDouble(points[k - 1].split(",")[1])).isLessThanOrEqualTo(thresholdY);
        assertThat(run.gains()[k]).isLessThan(0.5);
        assertThat(Double.parseDouble(points[k].split(",")[1])).isGreaterThanOrEqualTo(thresholdY); // drawn to 0.1 px
        assertThat(dom).contains("summary: " + k + " of " + n + ", gain falls below 0.5 here");

        // the labelled coverage points are the engine's
        Matcher point = Pattern.compile("<g class=\"coverage-point\"[^>]*>").matcher(dom);
        List<String> shares = new ArrayList<>();
        while (point.find()) {
            String share = attr(point.group(), "data-share");
            int at = Integer.parseInt(attr(point.group(), "data-k"));
            shares.add(share);
            assertThat(at).as(share).isEqualTo(coverage.sizeFor(Double.parseDouble(share)));
            assertThat(attr(point.group(), "data-covered")).isEqualTo(String.valueOf(coverage.covered(at)));
            assertThat(coverage.share(at)).isGreaterThanOrEqualTo(Double.parseDouble(share));
            assertThat(dom).contains(CoverageChart.percent(Double.parseDouble(share)) + " at k=" + at);
        }
        assertThat(shares).containsExactly("0.5", "0.8", "0.9");
        assertThat(attr(tag(dom, "line[^>]*id=\"coverage-marker\""), "data-k")).isEqualTo(String.valueOf(k));
        assertThat(tag(dom, "polyline id=\"coverage-curve\"")).isNotNull();
        assertThat(between(dom, "id=\"coverage-points\"", "</p>")).contains("the summary of " + k + " covers "
                + CoverageChart.percent(coverage.share(k)));

        // duplicate groups: each member named, exactly one kept, the one the order keeps (the earliest)
        String dups = between(dom, "id=\"dups-pane\"", "id=\"summary\"");
        String[] groupHtml = dups.split("<div class=\"dup-group\"");
        assertThat(groupHtml).hasSize(result.duplicates().size() + 1);
        List<List<String>> keptFirst = ReportWriter.keptFirst(result);
        for (int g = 0; g < keptFirst.size(); g++) {
            String html = groupHtml[g + 1];
            List<String> members = keptFirst.get(g);
            assertThat(count(html, ">kept</span>")).as("group %d", g + 1).isEqualTo(1);
            assertThat(count(html, "class=\"dup-member kept\"")).isEqualTo(1);
            Matcher names = Pattern.compile("<figcaption class=\"dup-name\" title=\"([^\"]*)\">([^<]*)<").matcher(html);
            for (int m = 0; m < members.size(); m++) {
                assertThat(names.find()).isTrue();
                assertThat(names.group(1)).startsWith(members.get(m)).endsWith(m == 0 ? "kept" : "copy");
                String base = members.get(m).substring(members.get(m).lastIndexOf('/') + 1);
                assertThat(names.group(2)).isEqualTo(base.length() <= 24 ? base : base.substring(0, 11) + "\u2026" + base.substring(base.length() - 12));
            }
        }
        assertThat(dom).contains("copy-of-").contains("href=\"duplicates.csv\"");
        assertThat(Files.readAllLines(dir.resolve("duplicates.csv"))).hasSize(1 + result.duplicates().stream().mapToInt(List::size).sum());
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
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
