package dev.exemplar.server;

import dev.exemplar.json.Json;
import dev.exemplar.store.SyncPhase;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The review page with nothing to show, in headless Chromium: it says why, and what to do next. */
class ReviewPageEmptyStatesBrowserTest extends ServerFixture {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String STATUS = "document.getElementById('status')";

    @Test
    void anUnknownProjectSaysHowToConnectItAndLinksToTheProjects() throws Exception {
        String status = reviewOf(1, () -> { });
        assertThat(status).contains("This project is not known.")
                .contains("project 1 is not known: connect Exemplar as the ML backend of project 1 in Label Studio (Settings → Model) "
                        + "or check the project id");
    }

    @Test
    void aSyncingProjectSaysItsPhaseAndProgress() throws Exception {
        String status = reviewOf(7, () -> {
            store.projects().ensure(7);
            store.projects().phase(7, SyncPhase.FEATURES, 310);
            store.projects().progress(7, 120, 310);
        });
        assertThat(status).contains("Project 7 is syncing: computing image features, 120 of 310.")
                .contains("Wait for the sync to end");
        assertThat(status).doesNotContain("No propagated labels to review yet");
    }

    @Test
    void aFailedSyncSaysWhatLabelStudioAnsweredAndWhatToCheck() throws Exception {
        String status = reviewOf(7, () -> {
            store.projects().ensure(7);
            store.projects().phase(7, SyncPhase.TASKS, 0);
            store.projects().error(7, "Label Studio GET /api/projects/7/ answered 401: Invalid token");
        });
        assertThat(status).contains("The last sync of project 7 failed (reading tasks).")
                .contains("Label Studio GET /api/projects/7/ answered 401: Invalid token")
                .contains("Label Studio refused the backend's token: check the LABEL_STUDIO_API_KEY setting")
                .contains("open the project's Settings → Model in Label Studio");
        assertThat(status).doesNotContain("No propagated labels to review yet");
    }

    @Test
    void aSyncedProjectWithNothingLabelledSaysWhereToLabel() throws Exception {
        String status = reviewOf(7, () -> {
            store.projects().ensure(7);
            store.projects().phase(7, SyncPhase.DONE, 40);
            store.projects().progress(7, 40, 40);
        });
        assertThat(status).contains("Nothing labelled yet in project 7.")
                .contains("Label delegates in the “Exemplar · summary queue” view of the project in Label Studio");
    }

    /**
     * Opens project {@code id}'s review page (the review knows project 7 and holds nothing) once {@code state} is in the
     * store; answers the status line, after checking that the page links back to the projects.
     */
    private String reviewOf(long id, Runnable state) throws Exception {
        Chromium.require();
        start(Map.of(), new FakeReview(7, List.of(), Map.of()));
        state.run();
        try (Chromium browser = Chromium.launch(1200, 700)) {
            browser.open(base + "/ui/projects/" + id + "/review");
            browser.waitFor("document.body.dataset.ready === '1'", WAIT);
            assertThat(browser.text("document.getElementById('all-projects').href")).isEqualTo(base + "/");
            if (id != 7) assertThat(browser.text(STATUS + ".querySelector('a.back').href")).isEqualTo(base + "/");
            assertThat(browser.pageErrors()).isEmpty();
            assertThat(Json.MAPPER.convertValue(browser.eval("document.querySelectorAll('.group').length"), Integer.class)).isZero();
            return browser.text(STATUS + ".textContent");
        }
    }
}
