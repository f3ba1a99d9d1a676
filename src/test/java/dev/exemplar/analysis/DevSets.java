package dev.exemplar.analysis;

import dev.exemplar.image.ImageLoader;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared development datasets with their truth (file, group, class, dup), read once per test run. */
final class DevSets {
    static final Path ROOT = Path.of("..", "shared", "datasets");

    /** One row of truth.csv. */
    record Truth(String file, String group, String label, String dup) { }

    /** A dataset's decoded samples (named by file, class from the truth) and its truth by file. */
    record DevSet(List<Sample> samples, Map<String, Truth> truth) { }

    private static final Map<String, DevSet> CACHE = new LinkedHashMap<>();

    private DevSets() { }

    /** The dataset, or the test is skipped when it is not beside the project. */
    static synchronized DevSet load(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("truth.csv")), name + " is not beside the project");
        DevSet cached = CACHE.get(name);
        if (cached != null) return cached;
        Map<String, Truth> truth = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("truth.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            truth.put(f[0], new Truth(f[0], f[1], f[2], f[3]));
            Path file = dir.resolve(f[0]);
            items.add(new Item(f[0], () -> Files.readAllBytes(file)));
        }
        Samples.Decoded d = Samples.read(items, n -> truth.get(n).label(), ImageLoader.defaults(), Progress.NONE);
        DevSet set = new DevSet(d.samples(), truth);
        CACHE.put(name, set);
        return set;
    }
}
