package dev.exemplar.cli;

import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.labelstudio.standin.LabelStudioStandIn;
import dev.exemplar.labelstudio.standin.Seed;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EXEMPLAR_MAX_IMAGE_BYTES limits the task images the backend fetches, as --max-image-bytes does the command line's. */
class MaxImageBytesSettingTest {
    static final long LIMIT = 25_000;

    @Test
    void imagesLargerThanTheSettingAreTaskErrorsAndTheRestIsOrdered(@TempDir Path data) throws Exception {
        try (LabelStudioStandIn ls = new LabelStudioStandIn()) {
            String lsUrl = ls.start();
            Seed.SeededUser admin = ls.seed().user("admin@example.com");
            long project = ls.seed().project(admin, RemoveWhileServingTest.CONFIG);
            List<Map<String, ?>> datas = new ArrayList<>();
            Map<String, Long> sizes = new HashMap<>();
            for (Path p : largestAndSmallest()) {
                String url = ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p));
                datas.add(Map.of("image", url));
                sizes.put(url, Files.size(p));
            }
            ls.seed().importTasks(project, datas);
            Map<String, String> env = Map.of("LABEL_STUDIO_URL", lsUrl, "LABEL_STUDIO_API_KEY", admin.personalAccessToken(),
                    "EXEMPLAR_DATA_DIR", data.toString(), "EXEMPLAR_MAX_IMAGE_BYTES", String.valueOf(LIMIT));

            try (Store store = Store.open(data); Backend backend = Backend.of(new Settings(Manifest.load(), env::get), store)) {
                backend.sync().setup(project, lsUrl, admin.personalAccessToken());
                assertThat(backend.sync().awaitIdle(Duration.ofSeconds(120))).isTrue();

                List<TaskStore.Task> tasks = store.tasks().list(project);
                assertThat(tasks).hasSize(8);
                int refused = 0;
                for (TaskStore.Task t : tasks) {
                    long size = sizes.get(ls.read().task(t.taskId()).get("data").get("image").asText());
                    if (size > LIMIT) {
                        refused++;
                        assertThat(t.error()).as("%d bytes", size).contains("larger than the cap of " + LIMIT + " bytes");
                        assertThat(t.rank()).isNull();
                    } else {
                        assertThat(t.error()).as("%d bytes", size).isNull();
                        assertThat(t.rank()).isNotNull();
                    }
                }
                assertThat(refused).as("the three sample images above the limit").isEqualTo(3);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"64MiB", "0", "-5", "2147483632", "1e6", "99999999999999999999"})
    void aValueThatIsNotASizeIsRefusedInOneLine(String value, @TempDir Path data) {
        Map<String, String> env = Map.of("EXEMPLAR_DATA_DIR", data.toString(), "EXEMPLAR_MAX_IMAGE_BYTES", value);

        try (Store store = Store.open(data)) {
            assertThatThrownBy(() -> Backend.of(new Settings(Manifest.load(), env::get), store))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setting max_image_bytes (EXEMPLAR_MAX_IMAGE_BYTES) must be a whole number from 1 to 2147483631, got '"
                            + value + "'");
        }
    }

    @Test
    void unsetItIsTheCommandLinesDefault() {
        Settings settings = new Settings(Manifest.load(), name -> null);

        assertThat(settings.getLong("max_image_bytes", 1, Long.MAX_VALUE)).isEqualTo(64L << 20);
    }

    /** The three largest sample images, all above the limit, and five small ones. */
    private static List<Path> largestAndSmallest() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            List<Path> bySize = files.sorted(Comparator.comparingLong(MaxImageBytesSettingTest::size).reversed()).toList();
            List<Path> chosen = new ArrayList<>(bySize.subList(0, 3));
            chosen.addAll(bySize.subList(bySize.size() - 5, bySize.size()));
            assertThat(size(bySize.get(2))).isGreaterThan(LIMIT);
            assertThat(size(bySize.get(3))).isLessThanOrEqualTo(LIMIT);
            return chosen;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
