package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.ImageLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Items without a vector of the embeddings are compared by their descriptors, at the scale of the others. */
class PartialEmbeddingsTest {
    private static final Path IMAGES = Path.of("samples/rooms/images");
    /** Three items each with a copy in the sample, left without a vector. */
    private static final Set<String> UNMATCHED = Set.of("0bfba19caab2.jpg", "19d74091a4a5.jpg", "1ed765d929f5.jpg");

    private static final List<Item> items = new ArrayList<>();
    private static final Map<String, float[]> descriptors = new HashMap<>();
    private static Pipeline.Run withoutEmbeddings;

    @BeforeAll
    static void readTheSample() throws Exception {
        try (Stream<Path> files = Files.list(IMAGES)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                items.add(new Item(name, () -> Files.readAllBytes(p)));
                descriptors.put(name, ImageFeatures.of(Files.readAllBytes(p), name, ImageLoader.defaults()).descriptor());
            }
        }
        assertThat(descriptors.keySet()).containsAll(UNMATCHED);
        withoutEmbeddings = Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE);
    }

    private static Pipeline.Run withEmbeddings(Map<String, float[]> vectors) {
        return Pipeline.run(items, new Pipeline.Options("auto", 3, vectors, ImageLoader.defaults(), FeatureMethod.COMBINED), Progress.NONE);
    }

    @Test
    void embeddingsThatRepeatTheDescriptorsChangeNothingThoughAFewItemsLackOne() {
        // an item's own descriptor as its embedding: every pair of the sample should compare as without embeddings
        Map<String, float[]> vectors = new HashMap<>();
        descriptors.forEach((name, d) -> {
            if (!UNMATCHED.contains(name)) vectors.put(name, d);
        });
        Pipeline.Run run = withEmbeddings(vectors);

        assertThat(run.result().duplicates()).isEqualTo(withoutEmbeddings.result().duplicates());
        assertThat(run.result().summarySize()).isEqualTo(withoutEmbeddings.result().summarySize());
        for (String name : UNMATCHED) {
            assertThat(similarities(run, name)).as(name).hasSameSizeAs(similarities(withoutEmbeddings, name));
            similarities(withoutEmbeddings, name).forEach((other, s) ->
                    assertThat(similarities(run, name).get(other)).as(name + " with " + other).isCloseTo(s, within(1e-5f)));
        }
    }

    @Test
    void anItemWithoutAVectorIsComparedByItsDescriptorAtFullScale() {
        Random rnd = new Random(5);
        Map<String, float[]> vectors = new HashMap<>();
        for (String name : descriptors.keySet()) {
            if (UNMATCHED.contains(name)) continue;
            float[] v = new float[8];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            vectors.put(name, v);
        }
        Pipeline.Run run = withEmbeddings(vectors);

        for (String name : UNMATCHED) {
            List<String> group = withoutEmbeddings.result().duplicates().stream().filter(g -> g.contains(name)).findFirst().orElseThrow();
            Map<String, Float> near = similarities(run, name), before = similarities(withoutEmbeddings, name);
            for (String copy : group) {
                if (copy.equals(name)) continue;
                // a descriptor-only pair: as without embeddings (scene verification included), not scaled down
                assertThat(near.get(copy)).as(name + " with " + copy).isNotNull().isCloseTo(before.get(copy), within(1e-5f));
            }
            near.forEach((other, s) -> {
                if (before.containsKey(other)) assertThat(s).as(name + " with " + other).isCloseTo(before.get(other), within(1e-5f));
            });
            // and its copy is still found
            assertThat(run.result().duplicates()).as(name).anySatisfy(g -> assertThat(g).containsAll(group));
        }
    }

    /** The item's neighbours in the run's graph, by name, with their similarities. */
    private static Map<String, Float> similarities(Pipeline.Run run, String name) {
        List<String> order = run.result().order();
        Pipeline.Neighbours nb = run.neighbours();
        int r = order.indexOf(name);
        Map<String, Float> out = new HashMap<>();
        for (int t = 0; t < nb.degree(); t++) {
            int j = nb.ids()[r * nb.degree() + t];
            if (j >= 0) out.put(order.get(j), nb.similarities()[r * nb.degree() + t]);
        }
        return out;
    }
}
