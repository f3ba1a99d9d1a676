package dev.exemplar.server;

import dev.exemplar.store.EventQueue;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.SyncPhase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DurableStateTest extends ServerFixture {
    @Test
    void aWebhookIsQueuedDurablyBeforeItIsAcknowledged() throws IOException {
        Path fixture = Path.of("../shared/labelstudio/fixtures/webhook_tasks_created.json");
        assumeTrue(Files.exists(fixture), "the fixtures are beside the repository");
        start(Map.of());

        Answer a = call("POST", "/webhook", Files.readString(fixture), null);

        assertThat(a.status()).isEqualTo(200);
        long id = a.body().get("event").asLong();
        restart();
        EventQueue.Event event = store.events().get(id).orElseThrow();
        assertThat(event.kind()).isEqualTo("TASKS_CREATED");
        assertThat(event.state()).isEqualTo(EventQueue.State.QUEUED);
        assertThat(event.projectId()).isNotNull();
    }

    @Test
    void aWebhookNeedsNoBasicAuthButMustBeAnEvent() throws IOException {
        start(Map.of("BASIC_AUTH_USER", "ls", "BASIC_AUTH_PASS", "pw"));

        assertThat(call("POST", "/webhook", "{\"action\": \"ANNOTATION_CREATED\", \"project\": {\"id\": 3}}", null).status()).isEqualTo(200);
        Answer noAction = call("POST", "/webhook", "{\"project\": {\"id\": 3}}", null);
        assertThat(noAction.status()).isEqualTo(400);
        assertThat(noAction.body().get("error").asText()).contains("action");
    }

    @Test
    void setupRemembersTheProjectAndItsImageFieldAcrossARestart() throws IOException {
        start(Map.of());
        String setup = SETUP.replace("value=\\\"$image\\\"", "value=\\\"$photo\\\"");
        assertThat(call("POST", "/setup", setup, null).status()).isEqualTo(200);
        assertThat(call("POST", "/setup", setup, null).status()).isEqualTo(200);

        restart();
        ProjectStore.Project p = store.projects().get(12).orElseThrow();
        assertThat(p.imageField()).isEqualTo("photo");
        assertThat(p.modelVersion()).isEqualTo(dev.exemplar.config.Manifest.load().modelVersion());
        assertThat(p.settingsJson()).contains("summary_size");
    }

    @Test
    void aChangedLabelConfigMarksTheProjectForAnotherSync() throws IOException {
        start(Map.of());
        call("POST", "/setup", SETUP, null);
        store.projects().phase(12, SyncPhase.DONE, 36);
        call("POST", "/setup", SETUP, null);
        assertThat(store.projects().get(12).orElseThrow().syncPhase()).as("nothing changed").isEqualTo(SyncPhase.DONE);

        call("POST", "/setup", SETUP.replace("value=\\\"$image\\\"", "value=\\\"$photo\\\""), null);

        assertThat(store.projects().get(12).orElseThrow().syncPhase()).isEqualTo(SyncPhase.STALE);
        assertThat(store.projects().get(12).orElseThrow().imageField()).isEqualTo("photo");
    }

    @Test
    void theStatusGivesTheRateAndTimeLeftOfTheCurrentPhase() throws IOException {
        java.time.Instant[] now = {java.time.Instant.parse("2026-01-01T00:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return now[0]; }
        };
        store = dev.exemplar.store.Store.open(dataDir, dev.exemplar.store.Store.Options.DEFAULTS.withClock(clock));
        start(Map.of());
        call("POST", "/setup", SETUP, null);
        store.projects().phase(12, SyncPhase.FEATURES, 300);
        now[0] = now[0].plusSeconds(10);
        store.projects().progress(12, 100, 300);

        com.fasterxml.jackson.databind.JsonNode status = call("GET", "/projects/12/status", null, null).body();

        assertThat(status.get("phase").asText()).isEqualTo("features");
        assertThat(status.get("progress").get("done").asLong()).isEqualTo(100);
        assertThat(status.get("progress").get("per_second").asDouble()).isEqualTo(10.0);
        assertThat(status.get("progress").get("eta_seconds").asLong()).isEqualTo(20);
        assertThat(call("GET", "/projects/99/status", null, null).status()).isEqualTo(404);
    }

    private void restart() {
        server.close();
        store.close();
        store = null;
        start(Map.of());
    }
}
