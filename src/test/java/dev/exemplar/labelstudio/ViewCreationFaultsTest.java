package dev.exemplar.labelstudio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Creating a Data Manager tab is not idempotent, yet a 5xx or a lost answer does not stop it: the client looks
 * for the tab by its title and creates it again only when it is not there, so a project never gets it twice.
 */
class ViewCreationFaultsTest {
    static final String CONFIG = "<View><Image name=\"image\" value=\"$image\"/>"
            + "<Choices name=\"scene\" toName=\"image\"><Choice value=\"a\"/></Choices></View>";
    static final String VIEWS = "/api/dm/views/?";

    LabelStudioStandIn ls;
    LabelStudioClient client;
    long project;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() {
        ls = new LabelStudioStandIn();
        String url = ls.start();
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        project = ls.seed().project(admin, CONFIG);
        client = LabelStudioClient.builder(url, admin.personalAccessToken())
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetries(3).log(log::add).build();
    }

    @AfterEach
    void stop() {
        ls.close();
    }

    static ObjectNode queue(String title) {
        ObjectNode filters = Json.MAPPER.createObjectNode().put("conjunction", "and");
        filters.putArray("items").addObject().put("filter", "filter:tasks:data.exemplar_role").put("operator", "equal")
                .put("type", "String").put("value", "delegate");
        return View.data(title, filters, List.of("tasks:data.exemplar_rank"));
    }

    List<String> titles() {
        List<String> out = new ArrayList<>();
        for (JsonNode v : ls.read().views(project)) out.add(v.path("data").path("title").asText());
        return out;
    }

    long posts() {
        return log.stream().filter(l -> l.startsWith("--> POST /api/dm/views")).count();
    }

    @Test
    void answered5xxBeforeRunningItIsCreatedOnRetry() {
        ls.faults().answer("POST", VIEWS, 500, 1).answer("POST", VIEWS, 503, 1);

        View made = client.createView(project, queue("Exemplar · summary queue"));

        assertThat(titles()).containsExactly("Exemplar · summary queue");
        assertThat(made.title()).isEqualTo("Exemplar · summary queue");
        assertThat(made.data()).isEqualTo(queue("Exemplar · summary queue"));
        assertThat(posts()).isEqualTo(3);
        assertThat(ls.faults().unmet()).isEmpty();
    }

    @Test
    void answered5xxAfterRunningItIsFoundNotMadeTwice() {
        ls.faults().answerAfterRunning("POST", VIEWS, 502, 1);

        View made = client.createView(project, queue("Exemplar · summary queue"));

        assertThat(titles()).containsExactly("Exemplar · summary queue");
        assertThat(made.id()).isEqualTo(ls.read().views(project).get(0).get("id").asLong());
        assertThat(posts()).as("not sent again").isEqualTo(1);
        assertThat(ls.faults().unmet()).isEmpty();
    }

    @Test
    void itsAnswerLostAfterRunningItIsFoundNotMadeTwice() {
        ls.faults().cutAfterRunning("POST", VIEWS, 1);

        View made = client.createView(project, queue("Exemplar · summary queue"));

        assertThat(titles()).containsExactly("Exemplar · summary queue");
        assertThat(made.data()).isEqualTo(queue("Exemplar · summary queue"));
        assertThat(posts()).as("not sent again").isEqualTo(1);
        assertThat(ls.faults().unmet()).isEmpty();
    }

    @Test
    void aTabOfTheSameTitleIsTakenAndGivenTheDataAskedFor() {
        View other = client.createView(project, queue("Someone's tab"));
        ObjectNode stale = View.data("Exemplar · summary queue", null, List.of("tasks:id"));
        View old = client.createView(project, stale);
        ls.faults().answer("POST", VIEWS, 500, 1);

        View made = client.createView(project, queue("Exemplar · summary queue"));

        assertThat(made.id()).isEqualTo(old.id());
        assertThat(titles()).containsExactly("Someone's tab", "Exemplar · summary queue");
        assertThat(client.views(project).stream().filter(v -> v.id() == old.id()).findFirst().orElseThrow().data())
                .isEqualTo(queue("Exemplar · summary queue"));
        assertThat(client.views(project).stream().filter(v -> v.id() == other.id()).findFirst().orElseThrow().data())
                .isEqualTo(queue("Someone's tab"));
    }

    @Test
    void aServerThatKeepsFailingIsGivenUpOnWithItsErrorAndNoTab() {
        ls.faults().answer("POST", VIEWS, 500, 10);

        LabelStudioException e = catchThrowableOfType(() -> client.createView(project, queue("Exemplar · summary queue")),
                LabelStudioException.class);

        assertThat(e.status()).isEqualTo(500);
        assertThat(titles()).isEmpty();
        assertThat(ls.faults().injected()).as("the first try and three more").isEqualTo(4);
    }

    @Test
    void aRefusalIsNotRetried() {
        ls.faults().answer("POST", VIEWS, 400, 1);

        LabelStudioException e = catchThrowableOfType(() -> client.createView(project, queue("Exemplar · summary queue")),
                LabelStudioException.class);

        assertThat(e.status()).isEqualTo(400);
        assertThat(titles()).isEmpty();
    }
}
