package dev.exemplar.cli;

import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EXEMPLAR_FEATURES=learned needs the network the build fetches: without it the backend says so at start, in one line. */
class LearnedFeaturesSettingTest {
    @Test
    void withoutTheNetworkTheBackendRefusesLearnedFeaturesAtStart(@TempDir Path data, @TempDir Path noNetwork) throws Exception {
        Map<String, String> env = Map.of("EXEMPLAR_DATA_DIR", data.toString(), "EXEMPLAR_FEATURES", "learned");
        String before = System.getProperty("exemplar.network.dir");
        System.setProperty("exemplar.network.dir", noNetwork.toString());
        try (Store store = Store.open(data)) {
            assertThatThrownBy(() -> Backend.of(new Settings(Manifest.load(), env::get), store))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("EXEMPLAR_FEATURES")
                    .hasMessageContaining("is missing: run mvn package");
        } finally {
            if (before == null) System.clearProperty("exemplar.network.dir");
            else System.setProperty("exemplar.network.dir", before);
        }
    }
}
