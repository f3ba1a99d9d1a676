package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Label Studio the end-to-end tests run against ({@code ../shared/labelstudio/real/start.sh}), read from the
 * credentials file it writes, named by EXEMPLAR_LABEL_STUDIO.
 */
record RealLabelStudio(String url, String personalAccessToken, Path log) {
    static final Path CREDENTIALS = Path.of(System.getenv().getOrDefault("EXEMPLAR_LABEL_STUDIO", "/var/tmp/exemplar-ls/credentials.json"));

    /** The one that answers, or null. */
    static RealLabelStudio find() throws IOException {
        if (!Files.isReadable(CREDENTIALS)) return null;
        JsonNode c = LabelStudioScenario.JSON.readTree(CREDENTIALS.toFile());
        String url = c.path("url").asText(null), pat = c.path("personal_access_token").asText(null);
        if (url == null || pat == null || !LabelStudioScenario.answers(url)) return null;
        return new RealLabelStudio(url, pat, CREDENTIALS.resolveSibling("ls.log"));
    }

    /** Why a test that needs one cannot run. */
    static String missing() {
        return "no real Label Studio at " + CREDENTIALS + ": start one with sudo ../shared/labelstudio/real/start.sh";
    }
}
