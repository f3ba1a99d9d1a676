package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.backend.Review;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class ReviewRoutesTest extends ServerFixture {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.reviewer-pat.s1gn4tur3";
    private static final String API = "/ui/api/projects/7/";

    private FakeReview review;
    private byte[] jpeg;

    private void startWithReview(Map<String, String> env) throws IOException {
        jpeg = jpeg(Color.ORANGE);
        review = new FakeReview(7, new FakeReview.Builder()
                .group(100, 1, "cat", 101, 0.91, 102, 0.42, 103, 0.77)
                .group(200, 2, "dog", 201, 0.35, 202, 0.88)
                .group(300, 5, "bird", 301, 0.97)
                .build(), Map.of(101L, jpeg));
        start(env, review);
    }

    @Test
    void withoutAReviewEveryUiRouteAnswers404WithAReason() throws IOException {
        start(Map.of());
        for (String path : List.of("/ui/projects/7/review", API + "review", "/ui/projects/7/thumbs/101.jpg", "/ui/assets/review.js")) {
            Answer a = call("GET", path, null, null);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.body().get("error").asText()).as(path).contains("review page is not available");
        }
        assertThat(post(API + "tasks/101/accept", TOKEN, null).status()).isEqualTo(404);
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void thePageIsServedWithItsProjectAndAPolicyThatKeepsOtherScriptsOut() throws IOException {
        startWithReview(Map.of());
        try (Response r = get("/ui/projects/7/review")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
            String html = r.body().string();
            assertThat(html).contains("data-project=\"7\"").contains("../../assets/review.js").doesNotContain("{{project}}");
        }
        try (Response js = get("/ui/assets/review.js"); Response css = get("/ui/assets/review.css")) {
            assertThat(js.header("Content-Type")).startsWith("text/javascript");
            assertThat(js.body().string()).contains("sessionStorage").doesNotContain("localStorage").doesNotContain("document.cookie");
            assertThat(css.header("Content-Type")).startsWith("text/css");
        }
        try (Response slash = http.newBuilder().followRedirects(false).build()
                .newCall(new Request.Builder().url(base + "/ui/projects/7/review/").build()).execute()) {
            assertThat(slash.code()).as("relative links need the path without a trailing slash").isEqualTo(301);
            assertThat(slash.header("Location")).isEqualTo("../review");
        }
        assertThat(call("GET", "/ui/projects/seven/review", null, null).status()).isEqualTo(400);
    }

    @Test
    void theApiAnswersTheRequestedPageInSnakeCase() throws IOException {
        startWithReview(Map.of());
        Answer a = call("GET", API + "review?label=cat&min=0.4&max=0.9&offset=0&limit=2", null, null);

        assertThat(a.status()).isEqualTo(200);
        assertThat(review.queries()).containsExactly(new Review.Query("cat", 0.4, 0.9, 0, 2));
        JsonNode page = a.body();
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("labels")).extracting(JsonNode::asText).containsExactly("bird", "cat", "dog");
        assertThat(page.get("counters").get("delegates_labelled").asInt()).isEqualTo(3);
        assertThat(page.get("counters").get("constituents_propagated").asInt()).isEqualTo(6);
        JsonNode group = page.get("groups").get(0);
        assertThat(group.get("delegate").asLong()).isEqualTo(100);
        assertThat(group.get("rank").asInt()).isEqualTo(1);
        assertThat(group.get("constituents")).extracting(c -> c.get("task").asLong()).containsExactly(102L, 103L);
        JsonNode first = group.get("constituents").get(0);
        assertThat(first.get("confidence").asDouble()).isEqualTo(0.42);
        assertThat(first.get("labels").get(0).asText()).isEqualTo("cat");
        assertThat(first.get("state").asText()).isEqualTo("proposed");

        Answer defaults = call("GET", API + "review", null, null);
        assertThat(defaults.body().get("total").asInt()).isEqualTo(3);
        assertThat(review.queries().get(1)).isEqualTo(new Review.Query(null, 0, 1, 0, ReviewRoutes.DEFAULT_LIMIT));
        assertThat(defaults.raw().header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void badParametersGetA400ThatNamesTheParameter() throws IOException {
        startWithReview(Map.of());
        Map<String, String> bad = Map.of(
                "min=abc", "min must be a confidence between 0 and 1, got 'abc'",
                "max=1.5", "max must be a confidence between 0 and 1, got '1.5'",
                "min=NaN", "min must be a confidence",
                "min=0.8&max=0.2", "min (0.8) is greater than max (0.2)",
                "offset=-1", "offset must be a whole number from 0",
                "limit=0", "limit must be a whole number from 1 to 100, got '0'",
                "limit=101", "limit must be a whole number from 1 to 100",
                "limit=ten", "limit must be a whole number");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Answer a = call("GET", API + "review?" + e.getKey(), null, null);
            assertThat(a.status()).as(e.getKey()).isEqualTo(400);
            assertThat(a.body().get("error").asText()).as(e.getKey()).contains(e.getValue());
        }
        assertThat(review.queries()).as("nothing invalid reaches the review").isEmpty();

        Answer unknown = call("GET", "/ui/api/projects/8/review", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).isEqualTo("project 8 is not known: connect Exemplar as the ML backend "
                + "of project 8 in Label Studio (Settings → Model) or check the project id");
        assertThat(call("GET", "/ui/api/projects/x/review", null, null).status()).isEqualTo(400);
    }

    @Test
    void thumbnailsAreJpegsWithACacheHeaderOr404() throws IOException {
        startWithReview(Map.of());
        try (Response r = get("/ui/projects/7/thumbs/101.jpg")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("image/jpeg");
            assertThat(r.header("Cache-Control")).contains("max-age=");
            assertThat(r.body().bytes()).isEqualTo(jpeg);
        }
        Answer absent = call("GET", "/ui/projects/7/thumbs/102.jpg", null, null);
        assertThat(absent.status()).isEqualTo(404);
        assertThat(absent.body().get("error").asText()).contains("task 102");
        assertThat(call("GET", "/ui/projects/8/thumbs/101.jpg", null, null).status()).isEqualTo(404);
        assertThat(call("GET", "/ui/projects/7/thumbs/x1.jpg", null, null).status()).isEqualTo(400);
    }

    @Test
    void acceptHandsTheReviewersTokenToTheReviewAndNeverLogsOrEchoesIt() throws IOException {
        startWithReview(Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to the current System.err
        try {
            Answer missing = post(API + "tasks/102/accept", null, null);
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.body().get("error").asText()).contains("sign in").contains(ReviewRoutes.TOKEN_HEADER);
            assertThat(post(API + "tasks/102/accept", "  ", null).status()).isEqualTo(401);
            assertThat(review.accepted()).isEmpty();

            Answer ok = post(API + "tasks/102/accept", TOKEN, null);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(review.accepted()).containsExactly(new FakeReview.Accepted(7, 102, TOKEN));
            assertThat(ok.body().get("task").asLong()).isEqualTo(102);
            assertThat(ok.body().get("state").asText()).isEqualTo("accepted");
            assertThat(ok.body().get("counters").get("accepted").asInt()).isEqualTo(1);

            Answer refused = post(API + "tasks/103/accept", FakeReview.REFUSED_TOKEN, null);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().get("error").asText()).contains("Label Studio refused the token")
                    .doesNotContain(FakeReview.REFUSED_TOKEN);

            review.failNextAccept = new IllegalStateException("POST /api/tasks/103/annotations/ with Bearer " + TOKEN + " broke");
            Answer broken = post(API + "tasks/103/accept", TOKEN, null);
            assertThat(broken.status()).isEqualTo(500);
            assertThat(broken.body().toString()).doesNotContain(TOKEN);
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the failure is logged").contains("accept of task 103 in project 7 failed");
        assertThat(logged).doesNotContain(TOKEN).doesNotContain(FakeReview.REFUSED_TOKEN).doesNotContain("s1gn4tur3");
        try (Response m = get("/metrics")) {
            assertThat(m.body().string()).doesNotContain(TOKEN);
        }
    }

    @Test
    void rejectAndTheReviewsOwnRefusalsAnswerTheirStatus() throws IOException {
        startWithReview(Map.of());
        Answer ok = post(API + "tasks/201/reject", null, null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().get("state").asText()).isEqualTo("rejected");
        assertThat(ok.body().get("counters").get("rejected").asInt()).isEqualTo(1);
        assertThat(review.rejected()).containsExactly(201L);

        Answer again = post(API + "tasks/201/reject", null, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("error").asText()).isEqualTo("task 201 is already rejected");
        Answer acceptRejected = post(API + "tasks/201/accept", TOKEN, null);
        assertThat(acceptRejected.status()).isEqualTo(409);
        Answer unknownTask = post(API + "tasks/999/reject", null, null);
        assertThat(unknownTask.status()).isEqualTo(404);
        assertThat(unknownTask.body().get("error").asText()).contains("task 999");
        assertThat(post("/ui/api/projects/8/tasks/201/reject", null, null).status()).isEqualTo(404);
        assertThat(post(API + "tasks/abc/reject", null, null).status()).isEqualTo(400);
    }

    @Test
    void actionsFromAnotherSiteAreRefused() throws IOException {
        startWithReview(Map.of());
        Answer forged = post(API + "tasks/201/reject", null, "http://elsewhere.example");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body().get("error").asText()).contains("cross-site");
        assertThat(review.rejected()).isEmpty();

        assertThat(post(API + "tasks/201/reject", null, base).status()).as("the page's own origin").isEqualTo(200);
    }

    @Test
    void basicAuthGuardsTheReviewPageToo() throws IOException {
        startWithReview(Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw"));
        assertThat(call("GET", "/ui/projects/7/review", null, null).status()).isEqualTo(401);
        assertThat(call("GET", API + "review", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/ui/projects/7/thumbs/101.jpg", null, null).status()).isEqualTo(401);
        assertThat(post(API + "tasks/102/accept", TOKEN, null).status()).isEqualTo(401);
        assertThat(review.accepted()).isEmpty();
        assertThat(call("GET", API + "review", null, okhttp3.Credentials.basic("ls", "pw")).status()).isEqualTo(200);
    }

    private Response get(String path) throws IOException {
        return http.newCall(new Request.Builder().url(base + path).build()).execute();
    }

    private Answer post(String path, String token, String origin) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path).post(RequestBody.create(new byte[0]));
        if (token != null) b.header(ReviewRoutes.TOKEN_HEADER, token);
        if (origin != null) b.header("Origin", origin);
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            JsonNode node = r.header("Content-Type", "").startsWith("application/json") ? JSON.readTree(text) : null;
            return new Answer(r.code(), node, r);
        }
    }

    private static byte[] jpeg(Color color) throws IOException {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 32, 24);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
