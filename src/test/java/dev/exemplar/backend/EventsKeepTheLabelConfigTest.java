package dev.exemplar.backend;

import dev.exemplar.json.Json;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Anyone can post a webhook event: what it says of the project's label config is never kept. */
class EventsKeepTheLabelConfigTest {
    @TempDir
    Path dir;

    @Test
    void anEventsLabelConfigIsIgnoredAndItsHandlingStaysFast() throws Exception {
        try (Store store = Store.open(dir)) {
            String config = "<View><Image name=\"image\" value=\"$image\"/><Choices name=\"c\" toName=\"image\"><Choice value=\"a\"/></Choices></View>";
            new StoreService("v1", store, Background.NONE, null).setup(Json.MAPPER.readTree(
                    Json.MAPPER.createObjectNode().put("project", "7.1").put("schema", config).toString()));
            var event = Json.MAPPER.createObjectNode().put("action", "ANNOTATION_CREATED");
            event.putObject("project").put("id", 7).put("label_config", "<a ".repeat(20_000));
            event.putObject("annotation").put("id", 1).put("task", 3).putArray("result");

            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> new LabelSpreading(store, "v1").apply(7, event));

            assertThat(store.projects().labelConfig(7)).hasValue(config);
        }
    }
}
