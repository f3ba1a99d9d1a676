package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The review page in headless Chromium against the stand-in Label Studio, with Exemplar's real review. */
class ReviewAgainstLabelStudioTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CURRENT = "document.querySelector('.tile.current').dataset.task";

    @Test
    void aReviewerAcceptsUnderTheirOwnAccountAndRejectsBackToTheQueue(@TempDir Path dataDir) throws Exception {
        Chromium.require();
        try (SpreadingFixture fx = new SpreadingFixture(dataDir, LabelSpreadingTest.sample(), LabelSpreadingTest.CHOICES)) {
            fx.setUp();
            List<Long> ds = LabelSpreadingTest.delegates(fx);
            for (int i = 0; i < ds.size(); i++) fx.annotate(ds.get(i), SpreadingFixture.choices(i % 2 == 0 ? "a" : "b"));
            fx.awaitPropagation();
            Seed.SeededUser reviewer = fx.ls.seed().user("reviewer@example.com");

            try (Chromium browser = Chromium.launch(1400, 1000)) {
                browser.open("http://127.0.0.1:" + fx.port + "/ui/projects/" + fx.project + "/review");
                browser.waitFor("document.body.dataset.ready === '1'", WAIT);
                browser.waitFor("[...document.querySelector('.group').querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)", WAIT);
                browser.eval("document.getElementById('token').focus()");
                browser.type(reviewer.personalAccessToken());
                browser.press("Enter");
                browser.waitFor("document.body.dataset.signedIn === '1'", WAIT);

                long accepted = Long.parseLong(browser.text(CURRENT));
                JsonNode prediction = fx.predictions().get(accepted).get(0);
                browser.press("a");
                browser.waitFor("document.querySelector('.tile[data-task=\"" + accepted + "\"]').dataset.state === 'accepted'", WAIT);
                long rejected = Long.parseLong(browser.text(CURRENT));
                browser.press("r");
                browser.waitFor("document.querySelector('.tile[data-task=\"" + rejected + "\"]').dataset.state === 'rejected'", WAIT);
                browser.waitFor("document.getElementById('count-accepted').textContent === '1'"
                        + " && document.getElementById('count-rejected').textContent === '1'", WAIT);
                browser.screenshot(Path.of("target", "review-against-label-studio.png"));
                assertThat(browser.pageErrors()).isEmpty();

                fx.awaitPropagation();
                JsonNode annotations = fx.api("GET", "/api/tasks/" + accepted + "/annotations/", null);
                assertThat(annotations).hasSize(1);
                assertThat(annotations.get(0).get("result")).isEqualTo(prediction.get("result"));
                assertThat(annotations.get(0).get("completed_by").asLong()).as("under the reviewer's account").isEqualTo(reviewer.id());
                assertThat(fx.predictions().get(accepted)).as("the accepted prediction stays").hasSize(1);

                assertThat(fx.predictions()).as("the rejected prediction is removed").doesNotContainKey(rejected);
                assertThat(fx.ls.read().task(rejected).at("/data/" + ProjectSync.ROLE).asText()).as("back in the summary queue").isEqualTo("delegate");
                assertThat(fx.api("GET", "/api/tasks/" + rejected + "/annotations/", null)).isEmpty();
            }
        }
    }
}
