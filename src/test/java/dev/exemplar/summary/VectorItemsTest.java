package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.RandomVectors;
import dev.exemplar.features.Vectors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items known only by a vector (a table of precomputed features) go through the engine's whole run: there is no
 * thumbnail or keypoint to verify a scene or confirm a copy by, so those steps pass them by, and the order and links
 * are the vectors' own.
 */
class VectorItemsTest {
    /** 40 clusters of 25 vectors around random centres, every fifth vector also present twice, bit for bit. */
    private static List<float[]> clustered(Random rnd) {
        List<float[]> rows = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            float[] centre = RandomVectors.gaussian(32, rnd);
            for (int i = 0; i < 25; i++) {
                float[] v = RandomVectors.gaussian(32, rnd);
                for (int t = 0; t < v.length; t++) v[t] = centre[t] + 0.3f * v[t];
                Vectors.normalise(v);
                rows.add(v);
                if (i % 5 == 0) rows.add(v.clone());
            }
        }
        return rows;
    }

    @Test
    void vectorsAreOrderedAndLinkedByThemselvesWithoutCopyGroups() {
        List<float[]> rows = clustered(new Random(3));
        List<String> names = IntStream.range(0, rows.size()).mapToObj(String::valueOf).toList();
        List<ImageFeatures> features = rows.stream().map(ImageFeatures::ofVector).toList();

        Pipeline.Run run = Pipeline.summarise(names, features, List.of(), Pipeline.Options.defaults(), Progress.NONE);

        assertThat(run.result().order()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(names);
        assertThat(run.result().duplicates()).as("no thumbnails to confirm a copy by").isEmpty();
        assertThat(run.verifiedPairs()).isZero();
        assertThat(run.result().links()).hasSize(rows.size() - run.result().summarySize());
        Pipeline.Order alone = Pipeline.order(Pipeline.neighbours(rows.toArray(float[][]::new)));
        assertThat(run.result().order()).as("the order of the vectors by themselves, as bench order makes it")
                .isEqualTo(IntStream.of(alone.order()).mapToObj(names::get).toList());
    }
}
