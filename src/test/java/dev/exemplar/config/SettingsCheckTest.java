package dev.exemplar.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every setting's value is checked against its kind, in one place for config and serve. */
class SettingsCheckTest {
    private static Settings with(Map<String, String> env) {
        return new Settings(Manifest.load(), env::get);
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(with(Map.of()).problems()).isEmpty();
    }

    @Test
    void eachKindRefusesABadValueNamingItsVariableAndForm() {
        Map<String, String> bad = Map.of(
                "EXEMPLAR_PORT", "abc",
                "EXEMPLAR_SUMMARY_SIZE", "banana",
                "EXEMPLAR_MAX_DELEGATES", "0",
                "EXEMPLAR_ENGINE_THREADS", "-1",
                "EXEMPLAR_FEATURES", "deep",
                "EXEMPLAR_QUEUE", "random",
                "LABEL_STUDIO_URL", "ftp://example.org");
        assertThat(with(bad).problems()).containsExactlyInAnyOrder(
                "setting port (EXEMPLAR_PORT) must be a whole number from 0 to 65535, got 'abc'",
                "setting summary_size (EXEMPLAR_SUMMARY_SIZE) must be a count of at least 1, a percentage above 0% up to 100%, or auto, got 'banana'",
                "setting max_delegates (EXEMPLAR_MAX_DELEGATES) must be a whole number of at least 1, got '0'",
                "setting engine_threads (EXEMPLAR_ENGINE_THREADS) must be a whole number of at least 0, got '-1'",
                "setting features (EXEMPLAR_FEATURES) must be one of combined, wavelet, learned, got 'deep'",
                "setting queue (EXEMPLAR_QUEUE) must be one of summary, adaptive, got 'random'",
                "setting label_studio_url (LABEL_STUDIO_URL) must be empty or an http:// or https:// URL with a host, got 'ftp://example.org'");
        assertThatThrownBy(() -> with(bad).check()).hasMessageContaining("EXEMPLAR_PORT").hasMessageContaining("EXEMPLAR_QUEUE");
    }

    @Test
    void boundaryValuesOfEachKind() {
        assertThat(with(Map.of("EXEMPLAR_PORT", "65536")).problems()).hasSize(1);
        assertThat(with(Map.of("EXEMPLAR_PORT", "0")).problems()).isEmpty();
        assertThat(with(Map.of("EXEMPLAR_SUMMARY_SIZE", "150%")).problems()).hasSize(1);
        assertThat(with(Map.of("EXEMPLAR_SUMMARY_SIZE", "0%")).problems()).hasSize(1);
        assertThat(with(Map.of("EXEMPLAR_SUMMARY_SIZE", "25%")).problems()).isEmpty();
        assertThat(with(Map.of("EXEMPLAR_SUMMARY_SIZE", "12")).problems()).isEmpty();
        assertThat(with(Map.of("EXEMPLAR_MAX_IMAGE_BYTES", "lots")).problems()).hasSize(1);
        assertThat(with(Map.of("EXEMPLAR_MAX_IMAGE_PIXELS", "0")).problems()).hasSize(1);
        assertThat(with(Map.of("EXEMPLAR_FEATURES", "Wavelet")).problems()).isEmpty();
        assertThat(with(Map.of("LABEL_STUDIO_URL", "http://localhost:8080")).problems()).isEmpty();
        assertThat(with(Map.of("LABEL_STUDIO_URL", "localhost:8080")).problems()).hasSize(1);
    }
}
