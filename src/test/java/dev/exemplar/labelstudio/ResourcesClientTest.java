package dev.exemplar.labelstudio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.exemplar.labelstudio.Captures.JSON;
import static dev.exemplar.labelstudio.Captures.exchange;
import static dev.exemplar.labelstudio.Captures.json;
import static dev.exemplar.labelstudio.Captures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Projects, tasks, predictions, views and retries, replayed from real Label Studio answers. */
class ResourcesClientTest {
    private MockWebServer server;
    private LabelStudioClient client;

    @BeforeEach void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = LabelStudioClient.builder(server.url("/").toString(), "legacy-key")
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetries(3).build();
    }

    @AfterEach void stop() throws Exception { server.shutdown(); }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
        assertThat(r).as("request").isNotNull();
        return r;
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.getBody().readUtf8());
    }

    @Test void projectAndModelVersion() throws Exception {
        server.enqueue(response("23_project_get_after_ml.json"));
        server.enqueue(json(200, "{\"id\":1,\"model_version\":\"exemplar-2\",\"label_config\":\"<View/>\",\"brand_new_field\":3}"));

        Project p = client.project(1);
        Project patched = client.setModelVersion(1, "exemplar-2");

        assertThat(p.labelConfig()).contains("<Choices name=\"choice\" toName=\"image\"");
        assertThat(p.sampling()).isEqualTo("Sequential sampling");
        assertThat(p.parsedLabelConfig().path("choice").path("type").asText()).isEqualTo("Choices");
        assertThat(patched.modelVersion()).isEqualTo("exemplar-2");
        take();
        RecordedRequest patch = take();
        assertThat(patch.getMethod()).isEqualTo("PATCH");
        assertThat(patch.getPath()).isEqualTo("/api/projects/1");
        assertThat(body(patch)).isEqualTo(JSON.readTree("{\"model_version\":\"exemplar-2\"}"));
    }

    @Test void paginationEndsAtLabelStudios404PastTheLastPage() throws Exception {
        // total says 6 but page 3 is gone (e.g. tasks deleted meanwhile): Label Studio answers 404
        server.enqueue(response("36_dm_tasks_list_page1.json"));
        server.enqueue(response("37_dm_tasks_list_page2_fields_all.json"));
        server.enqueue(response("38_dm_tasks_list_page_past_end.json"));

        List<TaskPage> pages = new java.util.ArrayList<>();
        client.taskPages(1, 2).forEach(pages::add);

        assertThat(pages).extracting(TaskPage::page).containsExactly(1, 2);
        assertThat(pages.get(0).total()).isEqualTo(6);
        assertThat(pages.stream().flatMap(p -> p.tasks().stream()).map(Task::id)).containsExactly(1L, 2L, 3L, 4L);
        Task t4 = pages.get(1).tasks().get(1);
        assertThat(t4.data().path("rank").asText()).isEqualTo("001");
        assertThat(t4.predictions()).singleElement().satisfies(pr -> assertThat(pr.modelVersion()).isEqualTo("manual-1"));
        assertThat(take().getPath()).isEqualTo("/api/tasks?project=1&page=1&page_size=2");
        assertThat(take().getPath()).isEqualTo("/api/tasks?project=1&page=2&page_size=2");
        assertThat(take().getPath()).isEqualTo("/api/tasks?project=1&page=3&page_size=2");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test void paginationStopsOnTheTotalWithoutAskingPastIt() throws Exception {
        server.enqueue(json(200, "{\"total\":3,\"tasks\":[{\"id\":1,\"data\":{}},{\"id\":2,\"data\":{}}]}"));
        server.enqueue(json(200, "{\"total\":3,\"tasks\":[{\"id\":3,\"data\":{}}]}"));

        List<Long> ids = new java.util.ArrayList<>();
        client.taskPages(1, 2).forEach(p -> p.tasks().forEach(t -> ids.add(t.id())));

        assertThat(ids).containsExactly(1L, 2L, 3L);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test void aMissingProjectIsAnErrorNotAnEmptyList() {
        server.enqueue(json(404, "{\"detail\":\"Not found.\"}"));

        LabelStudioException e = catchThrowableOfType(() -> client.tasks(99).toList(), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.detail()).isEqualTo("Not found.");
    }

    @Test void patchSendsTheWholeMergedData() throws Exception {
        server.enqueue(response("31_task_get_triggers_predict.json"));
        server.enqueue(json(200, "{\"id\":1,\"data\":{\"image\":\"http://127.0.0.1:8081/red.png\",\"rank\":\"000003\"}}"));
        ObjectNode fields = JSON.createObjectNode().put("rank", "000003").put("sa_role", "delegate");

        client.updateTaskData(1, fields);

        assertThat(take().getMethod()).isEqualTo("GET");
        RecordedRequest patch = take();
        assertThat(patch.getMethod()).isEqualTo("PATCH");
        assertThat(patch.getPath()).isEqualTo("/api/tasks/1");
        assertThat(body(patch)).isEqualTo(JSON.readTree("{\"data\":{\"image\":\"http://127.0.0.1:8081/red.png\","
                + "\"color\":\"red\",\"rank\":\"000003\",\"score_num\":40.0,\"group\":\"a\",\"sa_role\":\"delegate\"}}"));
    }

    @Test void predictionsCreateListDeleteAndImport() throws Exception {
        JsonNode sent = exchange("34_prediction_create.json").path("request").path("body");
        server.enqueue(response("34_prediction_create.json"));
        server.enqueue(response("33_predictions_list_task1.json"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(json(404, "{\"detail\":\"Not found.\"}"));
        server.enqueue(json(201, "{\"created\":2}"));

        Prediction created = client.createPrediction(4, (ArrayNode) sent.path("result"), 0.42, "manual-1");
        List<Prediction> listed = client.predictions(1);
        boolean deleted = client.deletePrediction(4);
        boolean again = client.deletePrediction(4);
        int imported = client.importPredictions(1, List.of(
                Prediction.of(5, JSON.createArrayNode(), 0.5, "v"), Prediction.of(6, JSON.createArrayNode(), null, "v")));

        assertThat(created.id()).isEqualTo(4L);
        assertThat(created.score()).isEqualTo(0.42);
        assertThat(listed).singleElement().satisfies(p -> {
            assertThat(p.task()).isEqualTo(1);
            assertThat(p.result().get(0).path("value").path("choices").get(0).asText()).isEqualTo("Red");
        });
        assertThat(deleted).isTrue();
        assertThat(again).isFalse();
        assertThat(imported).isEqualTo(2);

        RecordedRequest create = take();
        assertThat(create.getMethod() + " " + create.getPath()).isEqualTo("POST /api/predictions/");
        assertThat(body(create)).isEqualTo(sent);
        assertThat(take().getPath()).isEqualTo("/api/predictions/?task=1");
        RecordedRequest delete = take();
        assertThat(delete.getMethod() + " " + delete.getPath()).isEqualTo("DELETE /api/predictions/4/");
        take();
        RecordedRequest bulk = take();
        assertThat(bulk.getMethod() + " " + bulk.getPath()).isEqualTo("POST /api/projects/1/import/predictions");
        assertThat(body(bulk)).isEqualTo(JSON.readTree("[{\"task\":5,\"result\":[],\"score\":0.5,\"model_version\":\"v\"},"
                + "{\"task\":6,\"result\":[],\"model_version\":\"v\"}]"));
    }

    @Test void viewsCreateListUpdateDelete() throws Exception {
        JsonNode sent = exchange("50_dm_view_create_filter_and_ordering.json").path("request").path("body");
        server.enqueue(response("50_dm_view_create_filter_and_ordering.json"));
        server.enqueue(response("53_dm_views_list.json"));
        server.enqueue(response("54_dm_view_get.json"));
        server.enqueue(new MockResponse().setResponseCode(204));

        View created = client.createView(1, (ObjectNode) sent.path("data"));
        List<View> views = client.views(1);
        ObjectNode changed = created.data().deepCopy().put("title", "Summary queue");
        client.updateView(created.id(), 1, changed);
        assertThat(client.deleteView(1)).isTrue();

        assertThat(created.title()).isEqualTo("Group a by rank desc");
        assertThat(created.ordering()).containsExactly("-tasks:data.rank");
        assertThat(created.filters().path("items").get(0).path("filter").asText()).isEqualTo("filter:tasks:data.group");
        assertThat(views).extracting(View::id).containsExactly(1L, 2L, 3L);
        assertThat(views.get(2).data().path("columnsDisplayType").path("tasks:data.score_num").asText()).isEqualTo("Number");

        RecordedRequest create = take();
        assertThat(create.getMethod() + " " + create.getPath()).isEqualTo("POST /api/dm/views");
        assertThat(body(create)).isEqualTo(sent);
        assertThat(take().getPath()).isEqualTo("/api/dm/views?project=1");
        RecordedRequest patch = take();
        assertThat(patch.getMethod() + " " + patch.getPath()).isEqualTo("PATCH /api/dm/views/1");
        JsonNode patched = body(patch);
        assertThat(patched.path("project").asLong()).isEqualTo(1);
        assertThat(patched.path("data").path("hiddenColumns")).isEqualTo(sent.path("data").path("hiddenColumns"));
        assertThat(patched.path("data").path("title").asText()).isEqualTo("Summary queue");
        assertThat(take().getMethod()).isEqualTo("DELETE");
    }

    @Test void viewDataHelperWritesTheDataManagersShape() {
        ObjectNode d = View.data("Summary queue", null, List.of("tasks:data.sa_rank"));
        assertThat(d.toString()).isEqualTo("{\"title\":\"Summary queue\",\"filters\":{\"conjunction\":\"and\",\"items\":[]},"
                + "\"ordering\":[\"tasks:data.sa_rank\"]}");
    }

    @Test void webhooksAreListed() throws Exception {
        server.enqueue(response("13_webhook_list.json"));
        assertThat(client.webhooks(1)).singleElement().satisfies(w -> assertThat(w.url()).isEqualTo("http://127.0.0.1:9090/hook"));
        assertThat(take().getPath()).isEqualTo("/api/webhooks/?project=1");
    }

    @Test void idempotentCallsAreRetriedOn503And429ThenSucceed() throws Exception {
        server.enqueue(json(503, "{\"detail\":\"unavailable\"}"));
        server.enqueue(json(429, "{\"detail\":\"slow down\"}").setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(response("35_project_get.json"));

        assertThat(client.project(1).id()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test void anEmptyAnswerWhereAnObjectIsExpectedIsAnError() {
        server.enqueue(new MockResponse().setResponseCode(200));

        LabelStudioException e = catchThrowableOfType(() -> client.project(1), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(200);
        assertThat(e.detail()).contains("empty");
    }

    @Test void retriesAreBounded() {
        for (int i = 0; i < 5; i++) server.enqueue(json(502, "{\"detail\":\"bad gateway\"}"));

        LabelStudioException e = catchThrowableOfType(() -> client.task(1), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(502);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test void a400IsNotRetried() {
        server.enqueue(json(400, "{\"id\":\"x\",\"status_code\":400,\"detail\":\"Validation error\","
                + "\"validation_errors\":{\"data\":[\"required\"]},\"exc_info\":\"Traceback ...\"}"));
        server.enqueue(response("35_project_get.json"));

        LabelStudioException e = catchThrowableOfType(() -> client.updateTaskData(
                new Task(1, 1L, 1L, JSON.createObjectNode(), null, 0, 0, 0, false, null, null),
                JSON.createObjectNode().put("a", 1)), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.method()).isEqualTo("PATCH");
        assertThat(e.getMessage()).isEqualTo("Label Studio PATCH /api/tasks/1 answered 400: Validation error {\"data\":[\"required\"]}");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test void creatingAPredictionIsNotRepeatedAfterA5xx() {
        server.enqueue(json(503, "{\"detail\":\"unavailable\"}"));
        server.enqueue(response("34_prediction_create.json"));

        LabelStudioException e = catchThrowableOfType(
                () -> client.createPrediction(4, JSON.createArrayNode(), 0.4, "v"), LabelStudioException.class);

        assertThat(e.status()).isEqualTo(503);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test void aRefusedConnectionIsRetriedThenReported() throws Exception {
        MockWebServer gone = new MockWebServer();
        gone.start();
        String url = gone.url("/").toString();
        gone.shutdown();
        LabelStudioClient c = LabelStudioClient.builder(url, "k").backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .maxRetries(2).connectTimeout(Duration.ofSeconds(2)).build();

        LabelStudioException e = catchThrowableOfType(() -> c.project(1), LabelStudioException.class);

        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).contains("GET /api/projects/1").contains("could not connect");
    }
}
