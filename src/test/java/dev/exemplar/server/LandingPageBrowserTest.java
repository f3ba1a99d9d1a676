package dev.exemplar.server;

import dev.exemplar.json.Json;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.SyncPhase;
import dev.exemplar.testing.Chromium;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The page at the backend's address, in headless Chromium: every known project, how its sync stands and where to go next. */
class LandingPageBrowserTest extends ServerFixture {
    /** Copied to docs/landing-page.png when the page changes. */
    private static final Path SCREENSHOT = Path.of("target", "landing-page.png");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String REFUSED = "Label Studio GET /api/projects/5/ answered 401: Invalid token";

    @Test
    void aPersonSeesEachProjectWithItsSyncAndALinkToItsReview() throws Exception {
        Chromium.require();
        start(Map.of(), new FakeReview(3, List.of(), Map.of()));
        synced(3);
        failed(5, REFUSED);
        try (Chromium browser = Chromium.launch(1200, 520)) {
            browser.open(base + "/");
            assertThat(browser.text("document.title")).isEqualTo("Projects · Exemplar");
            assertThat(rows(browser)).containsExactly("3", "5");

            assertThat(cell(browser, 3, ".project")).isEqualTo("Project 3");
            assertThat(browser.text(row(3) + ".querySelector('.project a').href")).isEqualTo(base + "/ui/projects/3/review");
            assertThat(cell(browser, 3, ".sync")).contains("ready to review").contains("synced");
            assertThat(cell(browser, 3, ".progress")).startsWith("12 of 12");
            assertThat(cell(browser, 3, ".labels")).contains("2 labelled").contains("3 to review");
            assertThat(cell(browser, 3, ".next")).contains("Review the propagated labels");

            assertThat(browser.text(row(5) + ".querySelector('.project a').href")).isEqualTo(base + "/ui/projects/5/review");
            assertThat(cell(browser, 5, ".sync")).contains("sync failed").contains("reading tasks");
            assertThat(cell(browser, 5, ".last-error")).isEqualTo(REFUSED);
            assertThat(cell(browser, 5, ".next")).contains("Label Studio refused the backend's token: check the LABEL_STUDIO_API_KEY setting");
            assertThat(browser.pageErrors()).isEmpty();
            browser.screenshot(SCREENSHOT);
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

            for (String path : List.of("/ui", "/ui/projects")) {
                browser.open(base + path);
                assertThat(rows(browser)).as(path).containsExactly("3", "5");
            }
        }
    }

    @Test
    void aProjectInMidSyncShowsItsPhaseAndProgress() throws Exception {
        Chromium.require();
        start(Map.of(), new FakeReview(3, List.of(), Map.of()));
        store.projects().ensure(8);
        store.projects().phase(8, SyncPhase.FEATURES, 310);
        store.projects().progress(8, 120, 310);
        try (Chromium browser = Chromium.launch(1200, 600)) {
            browser.open(base + "/");
            assertThat(cell(browser, 8, ".sync")).contains("syncing").contains("computing image features");
            assertThat(cell(browser, 8, ".progress")).startsWith("120 of 310");
            assertThat(browser.eval(row(8) + ".querySelector('progress').value").asInt()).isEqualTo(120);
            assertThat(cell(browser, 8, ".next")).contains("Wait for the sync to end");
        }
    }

    @Test
    void withNoProjectThePageSaysHowToConnectOne() throws Exception {
        Chromium.require();
        start(Map.of(), null);
        try (Chromium browser = Chromium.launch(1200, 600)) {
            browser.open(base + "/");
            assertThat(browser.text("document.getElementById('empty').textContent"))
                    .contains("No project yet: in Label Studio, open a project's Settings → Model → Connect Model and give it the backend URL " + base);
        }
    }

    @Test
    void whatLabelStudioSaidIsShownAsTextNeverAsMarkup() throws Exception {
        Chromium.require();
        start(Map.of(), null);
        failed(4, "answered 500: <img src=x onerror=\"document.title='owned'\"><b>bold</b>");
        try (Chromium browser = Chromium.launch(1200, 600)) {
            browser.open(base + "/");
            assertThat(cell(browser, 4, ".last-error")).isEqualTo("answered 500: <img src=x onerror=\"document.title='owned'\"><b>bold</b>");
            assertThat(browser.eval("document.querySelectorAll('main img, main b').length").asInt()).isZero();
            assertThat(browser.text("document.title")).isEqualTo("Projects · Exemplar");
            assertThat(cell(browser, 4, ".project")).as("without a review, no link to one").isEqualTo("Project 4");
            assertThat(browser.eval(row(4) + ".querySelector('a') === null").asBoolean()).isTrue();
        }
    }

    @Test
    void apiClientsStillGetJsonAtTheRootAndTheListAsksForCredentials() throws Exception {
        start(Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw"), null);
        Answer probe = call("GET", "/", null, null);
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.body().path("status").asText()).isEqualTo("UP");
        for (String path : List.of("/", "/ui", "/ui/projects")) {
            try (Response r = http.newCall(new Request.Builder().url(base + path).header("Accept", "text/html").build()).execute()) {
                assertThat(r.code()).as(path).isEqualTo(401);
            }
            String basic = okhttp3.Credentials.basic("ls", "pw");
            try (Response r = http.newCall(new Request.Builder().url(base + path).header("Accept", "text/html")
                    .header("Authorization", basic).build()).execute()) {
                assertThat(r.code()).as(path).isEqualTo(200);
                assertThat(r.header("Content-Type")).startsWith("text/html");
                assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'");
            }
        }
    }

    /** Synced, two delegates labelled, three labels propagated from them. */
    private void synced(long project) {
        store.projects().ensure(project);
        store.projects().phase(project, SyncPhase.DONE, 12);
        store.projects().progress(project, 12, 12);
        var result = Json.MAPPER.createArrayNode();
        store.labels().upsert(project, 1, 101, result, false, "v1");
        store.labels().upsert(project, 2, 102, result, false, "v1");
        for (long task = 201; task <= 203; task++) {
            store.labels().want(project, task, new LabelStore.Suggestion(result, 0.8), List.of("kitchen"), 0.8, Map.of(101L, 1.0));
        }
    }

    /** Its sync stopped reading tasks with this error. */
    private void failed(long project, String error) {
        store.projects().ensure(project);
        store.projects().phase(project, SyncPhase.TASKS, 0);
        store.projects().error(project, error);
    }

    private static String row(long project) {
        return "document.querySelector('tr[data-project=\"" + project + "\"]')";
    }

    private static String cell(Chromium browser, long project, String selector) {
        return browser.text(row(project) + ".querySelector('" + selector + "').textContent.trim()");
    }

    private static List<String> rows(Chromium browser) {
        return Json.MAPPER.convertValue(browser.eval("[...document.querySelectorAll('tbody tr')].map(r => r.dataset.project)"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
