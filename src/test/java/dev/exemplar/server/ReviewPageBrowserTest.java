package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.backend.Review;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** The review page in headless Chromium, worked with the keyboard as a reviewer would. */
class ReviewPageBrowserTest extends ServerFixture {
    private static final Path SCREENSHOT = Path.of("target", "review-screenshot.png");
    private static final Path ROOMS = Path.of("samples", "rooms");
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.reviewer-pat.k3yb0ard";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CURRENT = "document.querySelector('.tile.current').dataset.task";

    @Test
    void aReviewerSignsInAcceptsAndRejectsWithTheKeyboard() throws Exception {
        Chromium.require();
        FakeReview review = roomsReview();
        int delegates = review.page(7, new Review.Query(null, 0, 1, 0, 100)).orElseThrow().counters().delegatesLabelled();
        start(Map.of(), review);
        try (Chromium browser = Chromium.launch(1400, 1000)) {
            browser.open(base + "/ui/projects/7/review");
            browser.waitFor("document.body.dataset.ready === '1'", WAIT);
            browser.waitFor("[...document.querySelector('.group').querySelectorAll('img')]"
                    + ".every(i => i.complete && i.naturalWidth > 0)", WAIT);

            // least certain first, within each delegate and across delegates
            JsonNode shown = browser.eval("[...document.querySelectorAll('.group')].map(g => "
                    + "[...g.querySelectorAll('.pct')].map(p => parseInt(p.textContent)))");
            int previousLeast = -1;
            for (JsonNode group : shown) {
                List<Integer> pcts = new ArrayList<>();
                group.forEach(p -> pcts.add(p.asInt()));
                assertThat(pcts).isSorted();
                assertThat(pcts.get(0)).isGreaterThanOrEqualTo(previousLeast);
                previousLeast = pcts.get(0);
            }
            assertThat(browser.text("document.getElementById('count-delegates').textContent")).isEqualTo(String.valueOf(delegates));
            assertThat(browser.text("document.getElementById('count-accepted').textContent")).isEqualTo("0");
            assertThat(browser.text("document.getElementById('count-rejected').textContent")).isEqualTo("0");

            // not signed in: accept is off, and the item says why
            assertThat(browser.eval("[...document.querySelectorAll('.tile .accept')].every(b => b.disabled)").asBoolean()).isTrue();
            String first = browser.text(CURRENT);
            browser.press("a");
            assertThat(browser.text("document.querySelector('.tile.current .msg').textContent")).contains("Sign in");
            assertThat(review.accepted()).isEmpty();

            browser.eval("document.getElementById('token').focus()");
            browser.type(TOKEN);
            browser.press("Enter");
            browser.waitFor("document.body.dataset.signedIn === '1'", WAIT);
            assertThat(browser.text("sessionStorage.getItem('exemplar.review.token')")).isEqualTo(TOKEN);
            assertThat(browser.eval("localStorage.length").asInt()).isZero();
            assertThat(browser.text("document.cookie")).isEmpty();
            assertThat(browser.eval("document.documentElement.outerHTML.includes('k3yb0ard')").asBoolean()).isFalse();
            assertThat(browser.text(CURRENT)).isEqualTo(first);

            // a accepts the focused label; the focus moves to the next pending one
            List<String> order = tiles(browser);
            browser.press("a");
            await(() -> review.accepted().size() == 1);
            assertThat(review.accepted()).containsExactly(new FakeReview.Accepted(7, Long.parseLong(first), TOKEN));
            browser.waitFor("document.querySelector('.tile[data-task=\"" + first + "\"]').dataset.state === 'accepted'", WAIT);
            assertThat(browser.text(CURRENT)).isEqualTo(order.get(1));

            // j skips one, r rejects
            browser.press("j");
            String third = order.get(2);
            assertThat(browser.text(CURRENT)).isEqualTo(third);
            browser.press("r");
            await(() -> review.rejected().size() == 1);
            assertThat(review.rejected()).containsExactly(Long.parseLong(third));
            browser.waitFor("document.getElementById('count-accepted').textContent === '1'"
                    + " && document.getElementById('count-rejected').textContent === '1'", WAIT);
            assertThat(review.state(Long.parseLong(order.get(1)))).as("skipped, still pending").isEqualTo("proposed");
            browser.screenshot(SCREENSHOT);
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);

            // Shift+A on the next delegate accepts all its pending labels
            String groupOfCurrent = "[...document.querySelectorAll('.group')].indexOf(document.querySelector('.tile.current').closest('.group'))";
            int before = browser.eval(groupOfCurrent).asInt();
            browser.press("ArrowDown");
            assertThat(browser.eval(groupOfCurrent).asInt()).isEqualTo(before + 1);
            List<String> second = groupTiles(browser, before + 1);
            browser.press("A");
            await(() -> review.accepted().size() == 1 + second.size());
            for (String t : second) assertThat(review.state(Long.parseLong(t))).isEqualTo("accepted");
            browser.waitFor("document.getElementById('count-accepted').textContent === '" + (1 + second.size()) + "'", WAIT);

            // ? opens the help, Escape closes it; / goes to the label filter
            browser.press("?");
            assertThat(browser.eval("!document.getElementById('help').hidden").asBoolean()).isTrue();
            browser.press("Escape");
            assertThat(browser.eval("document.getElementById('help').hidden").asBoolean()).isTrue();
            browser.press("/");
            assertThat(browser.text("document.activeElement.id")).isEqualTo("label");
            browser.press("Escape");
            assertThat(browser.text("document.activeElement.id")).isNotEqualTo("label");


            // a refusal from the review is shown on the item, which stays pending
            String target = browser.text(CURRENT);
            review.failNextAccept = new Review.ReviewException(502, "Label Studio did not answer");
            browser.press("a");
            browser.waitFor("document.querySelector('.tile[data-task=\"" + target + "\"] .msg').textContent"
                    + ".includes('Label Studio did not answer')", WAIT);
            assertThat(browser.text("document.querySelector('.tile[data-task=\"" + target + "\"]').dataset.state")).isEqualTo("proposed");

            // the label filter asks the API for that label only
            browser.eval("(() => { const s = document.getElementById('label'); s.value = 'r0060';"
                    + " s.dispatchEvent(new Event('change')); })()");
            browser.waitFor("document.body.dataset.loads === '2'", WAIT);
            assertThat(review.queries().get(review.queries().size() - 1).label()).isEqualTo("r0060");
            assertThat(browser.eval("[...document.querySelectorAll('.tile .labels')].every(l => l.textContent === 'r0060')")
                    .asBoolean()).isTrue();
            assertThat(browser.text("location.search")).isEqualTo("?label=r0060");

            browser.eval("document.getElementById('signout').click()");
            assertThat(browser.eval("sessionStorage.getItem('exemplar.review.token')").isNull()).isTrue();
            assertThat(browser.pageErrors()).isEmpty();
        }
    }

    /** 200 delegates with 300 constituents each: one page of groups is drawn, paged with n. Prints the render time. */
    @Test
    void sixtyThousandConstituentsArePagedAndDrawnInSlices() throws Exception {
        Chromium.require();
        FakeReview.Builder b = new FakeReview.Builder();
        long task = 100_000;
        for (int g = 0; g < 200; g++) {
            Object[] pairs = new Object[600];
            for (int i = 0; i < 300; i++) {
                pairs[2 * i] = task++;
                pairs[2 * i + 1] = ((g * 7919L + i * 104729L) % 1000) / 1000.0;
            }
            b.group(g + 1, g + 1, "class " + (g % 12), pairs);
        }
        FakeReview review = new FakeReview(7, b.build(), Map.of());
        start(Map.of(), review);
        try (Chromium browser = Chromium.launch(1400, 1000)) {
            browser.open(base + "/ui/projects/7/review");
            browser.waitFor("document.body.dataset.ready === '1'", WAIT);
            assertThat(browser.text("document.getElementById('count-propagated').textContent")).isEqualTo("60,000");
            assertThat(browser.eval("document.querySelectorAll('.group').length").asInt()).isEqualTo(ReviewRoutes.DEFAULT_LIMIT);
            assertThat(browser.eval("document.querySelectorAll('.tile').length").asInt()).isEqualTo(ReviewRoutes.DEFAULT_LIMIT * 30);
            String firstRender = browser.text("document.body.dataset.renderMs");

            String more = browser.text("document.querySelector('.group .more').textContent"); // "Show 240 more of 270"
            assertThat(more).matches("Show \\d+ more of 270");
            browser.eval("document.querySelector('.group .more').click()");
            assertThat(browser.eval("document.querySelector('.group').querySelectorAll('.tile').length").asInt())
                    .isEqualTo(30 + Integer.parseInt(more.split(" ")[1]));

            browser.press("n");
            browser.waitFor("document.body.dataset.loads === '2'", WAIT);
            assertThat(review.queries().get(review.queries().size() - 1).offset()).isEqualTo(ReviewRoutes.DEFAULT_LIMIT);
            assertThat(browser.text("document.getElementById('range').textContent")).isEqualTo("delegates 21–40 of 200");
            assertThat(browser.text("location.search")).isEqualTo("?offset=20");
            browser.press("p");
            browser.waitFor("document.body.dataset.loads === '3'", WAIT);
            System.out.printf("review page, 200 delegates x 300 constituents: first page (20 delegates, 6,000 labels in the answer)"
                    + " drawn in %s ms, again in %s ms%n", firstRender, browser.text("document.body.dataset.renderMs"));
            assertThat(browser.pageErrors()).isEmpty();
        }
    }

    private static List<String> tiles(Chromium browser) {
        List<String> out = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('.tile')].map(t => t.dataset.task)").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static List<String> groupTiles(Chromium browser, int group) {
        List<String> out = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('.group')[" + group + "].querySelectorAll('.tile')].map(t => t.dataset.task)")
                .forEach(t -> out.add(t.asText()));
        return out;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the review did not see the action in time");
            Thread.sleep(20);
        }
    }

    /**
     * The sample rooms as a review: in each scene of several views, the first view is the labelled
     * delegate and the others carry its label (the scene), with made-up confidences; thumbnails are
     * the real photographs scaled down.
     */
    static FakeReview roomsReview() throws IOException {
        Map<String, List<Long>> scenes = new LinkedHashMap<>();
        Map<Long, byte[]> thumbs = new HashMap<>();
        List<String> rows = Files.readAllLines(ROOMS.resolve("truth.csv"));
        for (int i = 1; i < rows.size(); i++) {
            String[] cols = rows.get(i).split(",", -1);
            long task = 1000 + i;
            scenes.computeIfAbsent(cols[1], s -> new ArrayList<>()).add(task);
            thumbs.put(task, thumbnail(ROOMS.resolve(cols[0])));
        }
        FakeReview.Builder b = new FakeReview.Builder();
        int rank = 0, n = 0;
        for (Map.Entry<String, List<Long>> scene : scenes.entrySet()) {
            List<Long> tasks = scene.getValue();
            if (tasks.size() < 2) continue;
            Object[] pairs = new Object[2 * (tasks.size() - 1)];
            for (int j = 1; j < tasks.size(); j++, n++) {
                pairs[2 * (j - 1)] = tasks.get(j);
                pairs[2 * (j - 1) + 1] = 0.32 + 0.66 * ((n * 37) % 100) / 100.0;
            }
            b.group(tasks.get(0), ++rank * 3, scene.getKey(), pairs);
        }
        return new FakeReview(7, b.build(), thumbs);
    }

    private static byte[] thumbnail(Path image) throws IOException {
        BufferedImage src = ImageIO.read(image.toFile());
        int w = 240, h = Math.max(1, Math.round(src.getHeight() * 240f / src.getWidth()));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(small, "jpg", out);
        return out.toByteArray();
    }
}
