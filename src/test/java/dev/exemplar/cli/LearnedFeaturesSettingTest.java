package dev.exemplar.cli;

import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EXEMPLAR_FEATURES=learned is for the command line: the backend's store keeps no learned features, so it says so at start. */
class LearnedFeaturesSettingTest {
    @Test
    void theBackendRefusesLearnedFeaturesAtStart(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("EXEMPLAR_DATA_DIR", data.toString(), "EXEMPLAR_FEATURES", "learned");
        try (Store store = Store.open(data)) {
            assertThatThrownBy(() -> Backend.of(new Settings(Manifest.load(), env::get), store))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("EXEMPLAR_FEATURES")
                    .hasMessageContaining("learned runs with summarize and simulate");
        }
    }
}
