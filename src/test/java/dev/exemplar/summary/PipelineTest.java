package dev.exemplar.summary;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole engine on the bundled sample: 36 photographs of 14 scenes, 7 of them with a copy. */
class PipelineTest {
    private static final Path SAMPLE = Path.of("samples/rooms");
    private static final Map<String, String> scene = new HashMap<>(), copySet = new HashMap<>();
    private static Pipeline.Run run;

    @BeforeAll
    static void summariseTheSample() throws IOException {
        for (String line : Files.readAllLines(SAMPLE.resolve("truth.csv")).subList(1, 37)) {
            String[] f = line.split(",", -1);
            String name = f[0].substring("images/".length());
            scene.put(name, f[1]);
            if (!f[3].isEmpty()) copySet.put(name, f[3]);
        }
        List<Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLE.resolve("images"))) {
            for (Path p : files.sorted().toList()) items.add(new Item(p.getFileName().toString(), () -> Files.readAllBytes(p)));
        }
        run = Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE);
    }

    private static List<dev.exemplar.features.ImageFeatures> featuresInMemory(List<String> names) throws Exception {
        List<dev.exemplar.features.ImageFeatures> features = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLE.resolve("images"))) {
            for (Path p : files.sorted().toList()) {
                names.add(p.getFileName().toString());
                features.add(dev.exemplar.features.ImageFeatures.of(Files.readAllBytes(p), p.toString(),
                        dev.exemplar.image.ImageLoader.defaults()));
            }
        }
        return features;
    }

    @Test
    void featuresKeptInFilesGiveTheResultOfFeaturesKeptInMemory() throws Exception {
        List<String> names = new ArrayList<>();
        List<dev.exemplar.features.ImageFeatures> features = featuresInMemory(names);

        Result inMemory = Pipeline.summarise(names, features, List.of(), Pipeline.Options.defaults(), Progress.NONE).result();

        assertThat(run.result().order()).isEqualTo(inMemory.order());
        assertThat(run.result().summarySize()).isEqualTo(inMemory.summarySize());
        assertThat(run.result().links()).isEqualTo(inMemory.links());
        assertThat(run.result().duplicates()).isEqualTo(inMemory.duplicates()).isNotEmpty();
    }

    @Test
    void anOrderBuiltOnAnEarlierOneKeepsItsItemsInPlaceAndTheirRoles() throws Exception {
        List<String> names = new ArrayList<>();
        List<dev.exemplar.features.ImageFeatures> features = featuresInMemory(names);
        // the earlier result knew every other scene's second view less: 30 of the 36
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 36; i++) if (i % 6 != 5) first.add(i);
        Result earlier = Pipeline.summarise(first.stream().map(names::get).toList(), first.stream().map(features::get).toList(),
                List.of(), Pipeline.Options.defaults(), Progress.NONE).result();

        Result now = Pipeline.summarise(names, features, List.of(), Pipeline.Options.defaults(),
                new Pipeline.Earlier(earlier.order(), earlier.summarySize()), Progress.NONE).result();

        assertThat(now.order()).hasSize(36);
        assertThat(now.order().stream().filter(earlier.order()::contains).toList()).as("the earlier items in their order")
                .isEqualTo(earlier.order());
        Set<String> delegatesBefore = new HashSet<>(earlier.order().subList(0, earlier.summarySize()));
        Set<String> delegatesNow = new HashSet<>(now.order().subList(0, now.summarySize()));
        assertThat(delegatesNow).as("earlier delegates stay delegates").containsAll(delegatesBefore);
        assertThat(delegatesNow.stream().filter(earlier.order()::contains)).as("and no earlier constituent became one")
                .allMatch(delegatesBefore::contains);
    }

    @Test
    void findsExactlyThePlantedCopies() {
        Set<Set<String>> expected = new HashSet<>();
        Map<String, Set<String>> bySet = new HashMap<>();
        copySet.forEach((name, set) -> bySet.computeIfAbsent(set, k -> new HashSet<>()).add(name));
        expected.addAll(bySet.values());

        Set<Set<String>> found = new HashSet<>();
        for (List<String> g : run.result().duplicates()) found.add(new HashSet<>(g));
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void theGraphComesNumberedByPositionInTheOrderWithEachCopyNearestItsOriginal() {
        Pipeline.Neighbours g = run.neighbours();
        List<String> order = run.result().order();
        int n = order.size(), k = g.degree();
        assertThat(k).isEqualTo(Math.min(Pipeline.NEIGHBOURS, n - 1));
        assertThat(g.ids()).hasSize(n * k);
        assertThat(g.similarities()).hasSize(n * k);
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < k; t++) {
                assertThat(g.ids()[r * k + t]).isBetween(0, n - 1).isNotEqualTo(r);
                if (t > 0) assertThat(g.similarities()[r * k + t]).isLessThanOrEqualTo(g.similarities()[r * k + t - 1]);
            }
        }
        // a planted copy's nearest neighbour is another member of its copy set
        for (int r = 0; r < n; r++) {
            String set = copySet.get(order.get(r));
            if (set != null) assertThat(copySet.get(order.get(g.ids()[r * k]))).as(order.get(r)).isEqualTo(set);
        }
    }

    @Test
    void copiesComeAfterEveryOriginal() {
        List<String> order = run.result().order();
        int copies = 0;
        for (List<String> g : run.result().duplicates()) copies += g.size() - 1;
        for (List<String> g : run.result().duplicates()) {
            long inHead = g.stream().filter(n -> order.indexOf(n) < order.size() - 7).count();
            assertThat(inHead).as("members of %s before the tail of copies", g).isEqualTo(1);
        }
        assertThat(copies).isEqualTo(7);
    }

    @Test
    void theFirstItemsCoverMoreScenesThanRandomSubsets() {
        int scenes = new HashSet<>(scene.values()).size();
        Set<String> seen = new HashSet<>();
        for (String n : run.result().order().subList(0, scenes)) seen.add(scene.get(n));
        // a random subset of 14 of these 36 covers 9.4 scenes on average (sd 1.1)
        assertThat(seen.size()).isGreaterThanOrEqualTo(11);
    }

    @Test
    void everyConstituentLinksToDelegatesOfTheSummary() {
        Result r = run.result();
        assertThat(r.order()).hasSize(36).doesNotHaveDuplicates();
        assertThat(r.errors()).isEmpty();
        Set<String> delegates = new HashSet<>(r.order().subList(0, r.summarySize()));
        for (String c : r.order().subList(r.summarySize(), r.order().size())) {
            assertThat(r.links().get(c)).as(c).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            double sum = 0;
            for (Result.Link l : r.links().get(c)) {
                assertThat(delegates).contains(l.delegate());
                sum += l.weight();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
        assertThat(r.links()).hasSize(36 - r.summarySize());
    }

    @Test
    void mostConstituentsLinkFirstToAViewOfTheirOwnScene() {
        Result r = run.result();
        long right = r.links().entrySet().stream()
                .filter(e -> scene.get(e.getKey()).equals(scene.get(e.getValue().get(0).delegate()))).count();
        assertThat((double) right / r.links().size()).isGreaterThan(0.7);
    }
}
