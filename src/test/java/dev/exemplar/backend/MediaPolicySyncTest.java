package dev.exemplar.backend;

import dev.exemplar.config.Manifest;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's sync fetches task media under the same fetch policy as the command line: a redirect from an allowed
 * host is followed to an allowed one and refused to any other, and a local-files path that climbs out of Label
 * Studio's root is not asked for. Each refusal is that task's error; the others are ordered.
 */
class MediaPolicySyncTest {
    static final String CONFIG = "<View><Image name=\"image\" value=\"$image\"/>"
            + "<Choices name=\"scene\" toName=\"image\"><Choice value=\"a\"/></Choices></View>";

    @TempDir
    Path dataDir;
    LabelStudioStandIn ls;
    MockWebServer media;
    Store store;

    @BeforeEach
    void start() throws IOException {
        ls = new LabelStudioStandIn();
        ls.start();
        media = new MockWebServer();
        byte[] photo = Files.readAllBytes(sample(0));
        media.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String host = "http://localhost:" + media.getPort();
                return switch (r.getPath()) {
                    case "/near" -> new MockResponse().setResponseCode(302).setHeader("Location", host + "/img/photo.jpg");
                    case "/away" -> new MockResponse().setResponseCode(302).setHeader("Location", "http://metadata.invalid/latest");
                    case "/img/photo.jpg" -> new MockResponse().setHeader("Content-Type", "image/jpeg").setBody(new Buffer().write(photo));
                    default -> new MockResponse().setResponseCode(404);
                };
            }
        });
        media.start();
        store = Store.open(dataDir);
    }

    @AfterEach
    void stop() throws IOException {
        store.close();
        media.shutdown();
        ls.close();
    }

    private static Path sample(int i) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            return files.sorted().toList().get(i);
        }
    }

    @Test
    void refusedMediaAreTaskErrorsAndTheRestIsOrdered() throws IOException {
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        long project = ls.seed().project(admin, CONFIG);
        List<Map<String, ?>> datas = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path p = sample(i);
            datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p)), "source", "upload"));
        }
        String other = "http://localhost:" + media.getPort();
        datas.add(Map.of("image", other + "/near", "source", "near"));
        datas.add(Map.of("image", other + "/away", "source", "away"));
        datas.add(Map.of("image", "/data/local-files/?d=../../etc/passwd", "source", "climb"));
        datas.add(Map.of("image", "/data/local-files/?d=%2e%2e/%2e%2e/etc/passwd", "source", "climb-encoded"));
        ls.seed().importTasks(project, datas);
        Map<String, Long> bySource = new HashMap<>();
        ls.read().tasks(project).forEach(t -> bySource.put(t.get("data").get("source").asText(), t.get("id").asLong()));
        LabelStudioClient client = LabelStudioClient.builder(ls.start(), admin.personalAccessToken())
                .mediaHosts(Set.of("localhost")).build();

        ProjectSync.Outcome o = new ProjectSync(store, client, ImageLoader.defaults(), Manifest.load().modelVersion())
                .run(project, Pipeline.Options.defaults(), Progress.NONE);

        assertThat(o.tasks()).isEqualTo(9);
        assertThat(o.errors()).isEqualTo(3);
        Map<Long, TaskStore.Task> tasks = store.tasks().list(project).stream()
                .collect(Collectors.toMap(TaskStore.Task::taskId, Function.identity()));
        assertThat(tasks.get(bySource.get("near")).error()).isNull();
        assertThat(tasks.get(bySource.get("away")).error()).contains("metadata.invalid");
        assertThat(tasks.get(bySource.get("climb")).error()).contains("outside Label Studio's local-files root");
        assertThat(tasks.get(bySource.get("climb-encoded")).error()).contains("outside Label Studio's local-files root");
        assertThat(media.getRequestCount()).as("near, its target, and away").isEqualTo(3);
    }
}
