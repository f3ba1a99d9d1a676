package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.ImageLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Scene verification's results kept between runs: a second run matches no pair again and orders alike. */
class PairMemoryTest {
    /** Remembers by index what one run found, for the next. */
    static final class Recorded implements PairMemory {
        final Map<Long, Integer> known = new ConcurrentHashMap<>(), found = new ConcurrentHashMap<>();

        @Override
        public int inliers(int a, int b) {
            return known.getOrDefault(((long) a << 32) | b, UNKNOWN);
        }

        @Override
        public void found(int a, int b, int inliers) {
            assertThat(a).isLessThan(b);
            found.put(((long) a << 32) | b, inliers);
        }
    }

    @Test
    void aSecondRunOverTheSameImagesMatchesNoPairAgainAndGivesTheSameResult() throws Exception {
        List<String> names = new ArrayList<>();
        List<ImageFeatures> features = new ArrayList<>();
        ImageLoader loader = ImageLoader.defaults();
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : files.sorted().toList()) {
                names.add(p.getFileName().toString());
                features.add(ImageFeatures.of(Files.readAllBytes(p), p.toString(), loader));
            }
        }
        Recorded first = new Recorded();
        Pipeline.Run one = Pipeline.summarise(names, features, List.of(), Pipeline.Options.defaults(), Pipeline.Earlier.NONE, KeypointSource.of(features), first, Progress.NONE);
        assertThat(first.found).as("photographs' pairs matched").isNotEmpty();
        assertThat(first.found.values()).as("some pair shows one scene").anyMatch(m -> m >= SceneVerification.MIN_INLIERS);

        Recorded second = new Recorded();
        second.known.putAll(first.found);
        Pipeline.Run two = Pipeline.summarise(names, features, List.of(), Pipeline.Options.defaults(), Pipeline.Earlier.NONE, KeypointSource.of(features), second, Progress.NONE);

        assertThat(second.found).as("nothing matched again").isEmpty();
        assertThat(two.result()).isEqualTo(one.result());
        assertThat(two.verifiedPairs()).isEqualTo(one.verifiedPairs());
    }
}
