package dev.exemplar.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compose file, the Dockerfile, .dockerignore and .env.example agree with one another and with plugin.yaml, as far
 * as can be checked without a container engine: services, ports, the data volume, every setting's name.
 */
class DeploymentFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)");

    private final Manifest manifest = Manifest.load();
    private final JsonNode compose = read("docker-compose.yml");
    private final JsonNode exemplar = compose.path("services").path("exemplar");
    private final JsonNode labelStudio = compose.path("services").path("label-studio");
    private final List<String> dockerfile = lines("Dockerfile");

    @Test
    void composeStartsLabelStudioAndExemplarBuiltFromThisRepository() {
        assertThat(fieldNames(compose.path("services"))).containsExactlyInAnyOrder("label-studio", "exemplar");
        assertThat(exemplar.path("build").asText()).isEqualTo(".");
        assertThat(exemplar.path("depends_on").get(0).asText()).isEqualTo("label-studio");
    }

    @Test
    void exemplarsPortIsTheManifestsAndTheDockerfiles() {
        String port = Integer.toString(manifest.port());
        assertThat(exemplar.path("ports").get(0).asText()).isEqualTo(port + ":" + port);
        assertThat(dockerfile).contains("EXPOSE " + port);
        assertThat(dockerEnv("EXEMPLAR_PORT")).isEqualTo(port);
    }

    @Test
    void theDataVolumeIsMountedWhereTheDockerfileKeepsTheStore() {
        String mount = exemplar.path("volumes").get(0).asText();
        String volume = mount.substring(0, mount.indexOf(':'));
        String target = mount.substring(mount.indexOf(':') + 1);
        assertThat(target).isEqualTo(dockerEnv("EXEMPLAR_DATA_DIR"));
        assertThat(dockerfile).contains("VOLUME [\"" + target + "\"]");
        assertThat(fieldNames(compose.path("volumes"))).contains(volume);
        assertThat(labelStudio.path("volumes").get(0).asText()).endsWith(":/label-studio/data");
    }

    @Test
    void everyVariableGivenToExemplarIsASettingOrTheJvmsOptions() {
        Set<String> settings = manifest.settings().stream().map(Manifest.Setting::env).collect(Collectors.toSet());
        for (String name : fieldNames(exemplar.path("environment"))) {
            assertThat(settings.contains(name) || name.equals("EXEMPLAR_JAVA_OPTS")).as(name).isTrue();
        }
        assertThat(String.join("\n", dockerfile)).contains("$EXEMPLAR_JAVA_OPTS -jar");
        assertThat(dockerEnv("EXEMPLAR_JAVA_OPTS")).contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void exemplarReachesLabelStudioByItsServiceNameWithTheAdminsToken() {
        URI url = URI.create(exemplar.path("environment").path("LABEL_STUDIO_URL").asText());
        String published = labelStudio.path("ports").get(0).asText();
        assertThat(url.getHost()).isEqualTo("label-studio");
        assertThat(Integer.toString(url.getPort())).isEqualTo(published.substring(published.indexOf(':') + 1));
        assertThat(variables(exemplar.path("environment").path("LABEL_STUDIO_API_KEY").asText()))
                .isEqualTo(variables(labelStudio.path("environment").path("LABEL_STUDIO_USER_TOKEN").asText()));
        // without legacy tokens switched on, a new organization refuses the token it was started with
        assertThat(labelStudio.path("environment").path("LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN").asText()).isEqualTo("true");
    }

    @Test
    void everyVariableTheComposeFileReadsIsInTheExampleEnvironment() throws IOException {
        Set<String> example = new TreeSet<>();
        for (String line : lines(".env.example")) if (!line.startsWith("#") && line.contains("=")) example.add(line.substring(0, line.indexOf('=')));
        Set<String> read = variables(Files.readString(Path.of("docker-compose.yml")));
        read.remove("LABEL_STUDIO_IMAGE");
        assertThat(example).containsAll(read);
        assertThat(lines(".gitignore")).contains(".env");
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheBuildCopies() {
        List<String> ignore = lines(".dockerignore").stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        Set<String> copied = new LinkedHashSet<>();
        for (String line : dockerfile) {
            if (!line.startsWith("COPY ") || line.contains("--from=")) continue;
            String[] parts = line.substring(5).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) copied.add(parts[i].replaceAll("/$", ""));
        }
        assertThat(ignore.subList(1, ignore.size()).stream().map(l -> l.substring(1).replaceAll("/$", "")))
                .containsExactlyInAnyOrderElementsOf(copied);
    }

    private String dockerEnv(String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\"[^\"]*\"|\\S+)").matcher(String.join("\n", dockerfile));
        assertThat(m.find()).as(name + " in the Dockerfile's ENV").isTrue();
        return m.group(1).replace("\"", "");
    }

    private static Set<String> variables(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(Path.of(file).toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
