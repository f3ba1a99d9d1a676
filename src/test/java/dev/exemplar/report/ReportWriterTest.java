package dev.exemplar.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;
import dev.exemplar.summary.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The written files themselves, without a browser: escaping, thumbnail names and sizes, the curve. */
class ReportWriterTest {
    private static final String EVIL = "</script><img src=x onerror=alert(1)>.jpg";
    private static final String COMMENT = "<!--<script>x</script>.jpg";

    @Test
    void hostileItemNamesStayInertText(@TempDir Path dir) throws IOException {
        List<String> names = List.of("a.jpg", EVIL, COMMENT, "b & \"c\" 'd'.jpg");
        Result result = new Result(names, 1,
                Map.of(EVIL, List.of(new Result.Link("a.jpg", 1.0))),
                List.of(List.of(COMMENT, "b & \"c\" 'd'.jpg")),
                List.of(new Result.ItemError("x/" + EVIL, "bad </script> header <!-- here")));
        ReportWriter.write(new Report(result, new double[] {1, 0.5, 0.2, 0.1}, null, "<b>why</b>",
                item -> Fixtures.synthetic(item.length()), "<script>title</script>"), dir);
        String html = Files.readString(dir.resolve("index.html"));

        assertThat(count(html, "</script")).isEqualTo(2); // the data element and the code element
        assertThat(html).doesNotContain("<img").doesNotContain("<!--").doesNotContain("<script>title");
        assertThat(html).contains("<title>&lt;script&gt;title&lt;/script&gt;</title>").contains("&lt;b&gt;why&lt;/b&gt;");

        JsonNode data = data(html);
        assertThat(data.get("items").get(1).asText()).isEqualTo(EVIL);
        assertThat(data.get("items").get(2).asText()).isEqualTo(COMMENT);
        assertThat(data.get("items").get(3).asText()).isEqualTo("b & \"c\" 'd'.jpg");
        assertThat(data.get("errors").get(0).get(0).asText()).isEqualTo("x/" + EVIL);
        assertThat(data.get("errors").get(0).get(1).asText()).isEqualTo("bad </script> header <!-- here");
        assertThat(data.get("links").get(0).toString()).isEqualTo("[1,0,1.0]");
    }

    @Test
    void thumbnailsAreNamedByIndexWithLongSide160(@TempDir Path dir) throws IOException {
        List<String> names = List.of("../../outside.jpg", "dir/with space.png", "missing.jpg", "fails.jpg", "tall.jpg");
        ThumbnailSource source = item -> switch (item) {
            case "missing.jpg" -> null;
            case "fails.jpg" -> throw new IOException("cannot decode");
            case "tall.jpg" -> new BufferedImage(300, 900, BufferedImage.TYPE_INT_ARGB);
            default -> Fixtures.synthetic(3);
        };
        Files.createDirectories(dir.resolve("thumbs"));
        Files.writeString(dir.resolve("thumbs/99.jpg"), "stale");
        ReportWriter.write(new Report(new Result(names, 2, Map.of(), List.of(), List.of()), null, null, "", source, null), dir);

        try (Stream<Path> s = Files.list(dir.resolve("thumbs"))) {
            assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .isEqualTo(Set.of("0.jpg", "1.jpg", "4.jpg"));
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.toString().contains("outside") || p.toString().contains("space"))).isEmpty();
        }
        int[] dims = new int[10];
        JsonNode d = data(Files.readString(dir.resolve("index.html"))).get("dims");
        for (int i = 0; i < 10; i++) dims[i] = d.get(i).asInt();
        assertThat(dims).containsExactly(160, 120, 160, 120, 0, 0, 0, 0, 53, 160);
        for (int i : new int[] {0, 1, 4}) {
            BufferedImage img = ImageIO.read(dir.resolve("thumbs/" + i + ".jpg").toFile());
            assertThat(new int[] {img.getWidth(), img.getHeight()}).containsExactly(dims[2 * i], dims[2 * i + 1]);
        }
    }

    @Test
    void longCurveIsDownsampledAndMarksTheSummarySize() {
        double[] gains = Fixtures.gains(20_000);
        String svg = GainChart.svg(gains, 1_000, 0.5);
        Matcher m = Pattern.compile("<polyline id=\"gain-curve\"[^>]*points=\"([^\"]*)\"").matcher(svg);
        assertThat(m.find()).isTrue();
        int points = m.group(1).trim().split(" ").length;
        assertThat(points).isBetween(GainChart.PLOT_W, 2 * GainChart.PLOT_W);
        assertThat(svg).contains("id=\"summary-marker\"").contains("summary: 1,000 of 20,000").doesNotContain("falls below");
        assertThat(svg.length()).isLessThan(40_000);

        Matcher small = Pattern.compile("points=\"([^\"]*)\"").matcher(GainChart.svg(new double[] {3, 2, 1}, 2, 0.5));
        assertThat(small.find()).isTrue();
        assertThat(small.group(1).trim().split(" ")).hasSize(3);
        assertThat(GainChart.svg(new double[0], 0, 0.5)).contains("No gain values");
    }

    @Test
    void gainAxisIsLogarithmicAndSpansTheThreshold() {
        // from 40 items down to copies that add nothing: decades 0.01 .. 100, the zeros on the bottom edge
        double[] gains = {40, 12, 3, 0.9, 0.6, 0.4, 0.05, 0, 0};
        GainChart.Scale s = GainChart.scale(gains, 0.5);
        assertThat(new int[] {s.lowDecade(), s.highDecade()}).containsExactly(-2, 2);
        assertThat(s.y(100)).isEqualTo(GainChart.TOP);
        assertThat(s.y(0.01)).isEqualTo(GainChart.TOP + GainChart.PLOT_H);
        assertThat(s.y(0)).isEqualTo(s.y(0.01));
        assertThat(s.y(1) - s.y(10)).isCloseTo(GainChart.PLOT_H / 4.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(GainChart.lastAtLeast(gains, 0.5)).isEqualTo(5);

        String svg = GainChart.svg(gains, 5, 0.5);
        assertThat(svg).contains("summary: 5 of 9, gain falls below 0.5 here").contains("gain 0.5: threshold of the automatic size")
                .contains(">\u2264 0.01<").contains(">100<");
        // the axis always shows a decade below the threshold, and tiny gains do not stretch it past six decades
        assertThat(GainChart.scale(new double[] {0.8, 0.7}, 0.5).lowDecade()).isEqualTo(-2);
        assertThat(GainChart.scale(new double[] {1000, 1e-9}, 0.5).lowDecade()).isEqualTo(3 - 6);
    }

    @Test
    void duplicatesCsvListsEachGroupKeptCopyFirst(@TempDir Path dir) throws IOException {
        Result result = new Result(List.of("a.jpg", "b, c.jpg", "say \"hi\".jpg", "d.jpg", "e.jpg"), 2, Map.of(),
                List.of(List.of("e.jpg", "b, c.jpg"), List.of("say \"hi\".jpg", "a.jpg", "d.jpg")), List.of());
        assertThat(ReportWriter.keptFirst(result)).containsExactly(List.of("b, c.jpg", "e.jpg"), List.of("a.jpg", "say \"hi\".jpg", "d.jpg"));
        ReportWriter.write(new Report(result, null, null, "", item -> null, null), dir);

        assertThat(Files.readString(dir.resolve("duplicates.csv"))).isEqualTo("group,item,rank,action\n"
                + "1,\"b, c.jpg\",2,keep\n1,e.jpg,5,remove\n"
                + "2,a.jpg,1,keep\n2,\"say \"\"hi\"\".jpg\",3,remove\n2,d.jpg,4,remove\n");
        assertThat(Files.readString(dir.resolve("index.html"))).contains("href=\"duplicates.csv\"");

        ReportWriter.write(new Report(new Result(List.of("a.jpg"), 1, Map.of(), List.of(), List.of()), null, null, "", null, null), dir);
        assertThat(dir.resolve("duplicates.csv")).doesNotExist();
        assertThat(Files.readString(dir.resolve("index.html"))).doesNotContain("duplicates.csv");
    }

    @Test
    void titleNamesTheCollectionNotItsImagesFolder(@TempDir Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("classes-dev").resolve("images"));
        assertThat(ReportTitle.summary(images, 847)).isEqualTo("Exemplar summary: classes-dev (847 images)");
        assertThat(ReportTitle.analysis(dir.resolve("rooms-dev/images/"), 1)).isEqualTo("Exemplar analysis: rooms-dev (1 image)");
        assertThat(ReportTitle.sourceName(images.resolve("."))).isEqualTo("classes-dev");
        assertThat(ReportTitle.sourceName(dir.resolve("holiday photos"))).isEqualTo("holiday photos");
        Path export = Files.writeString(dir.resolve("project-7-at-2024.json"), "[]");
        assertThat(ReportTitle.sourceName(export)).isEqualTo("project-7-at-2024.json");
    }

    @Test
    void randomSampleIsSeededAndDistinct() {
        int[] a = ReportWriter.sample(10_000, 1_000);
        assertThat(a).isEqualTo(ReportWriter.sample(10_000, 1_000));
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(1_000);
        assertThat(Arrays.stream(a).allMatch(i -> i >= 0 && i < 10_000)).isTrue();
        assertThat(ReportWriter.sample(5, 5)).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    private static JsonNode data(String html) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        return Json.MAPPER.readTree(m.group(1));
    }

    private static int count(String s, String what) {
        return ReportBrowserTest.count(s, what);
    }
}
