package dev.exemplar.labelstudio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCountsTest {
    @Test
    void pathsAreCountedByABoundedResourceName() {
        assertThat(LabelStudioCalls.resource("/api/tasks/17")).isEqualTo("tasks");
        assertThat(LabelStudioCalls.resource("/api/tasks")).isEqualTo("tasks");
        assertThat(LabelStudioCalls.resource("/api/tasks/17/annotations/")).isEqualTo("annotations");
        assertThat(LabelStudioCalls.resource("/api/projects/3/import/predictions")).isEqualTo("import_predictions");
        assertThat(LabelStudioCalls.resource("/api/projects/3")).isEqualTo("projects");
        assertThat(LabelStudioCalls.resource("/api/projects/3/model-versions/")).isEqualTo("model_versions");
        assertThat(LabelStudioCalls.resource("/api/predictions/9/")).isEqualTo("predictions");
        assertThat(LabelStudioCalls.resource("/api/dm/views/4")).isEqualTo("dm_views");
        assertThat(LabelStudioCalls.resource("/data/upload/3/a.jpg")).isEqualTo("media");
    }

    @Test
    void countsRenderAsPrometheusCounters() {
        LabelStudioCalls calls = new LabelStudioCalls();
        calls.record("PATCH", "/api/tasks/1");
        calls.record("PATCH", "/api/tasks/2");
        calls.record("POST", "/api/projects/1/import/predictions");
        assertThat(calls.count("PATCH", "tasks")).isEqualTo(2);
        assertThat(calls.render()).contains("exemplar_labelstudio_requests_total{method=\"PATCH\",resource=\"tasks\"} 2\n")
                .contains("exemplar_labelstudio_requests_total{method=\"POST\",resource=\"import_predictions\"} 1\n");
    }
}
