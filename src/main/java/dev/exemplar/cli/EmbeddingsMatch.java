package dev.exemplar.cli;

import dev.exemplar.summary.Item;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many items must have a vector of {@code --embeddings}: a file whose names miss the items' (a folder prefix, an
 * extension) would change the run without failing it. Shared by the commands that read embeddings.
 */
final class EmbeddingsMatch {
    /** Names shown of each side when they do not match. */
    static final int EXAMPLES = 3;

    @Option(names = "--embeddings-min-match", paramLabel = "P%", defaultValue = "50%", converter = Percentage.Converter.class,
            description = "refuse to run when fewer of the items than this have a vector in --embeddings (default: ${DEFAULT-VALUE})")
    Percentage minMatch;

    /**
     * Refuses, before any work, a file that names too few of the items, and warns on {@code err} when some items have
     * no vector: they are compared by their descriptors only. Either message shows names of both sides.
     */
    void check(Map<String, float[]> vectors, List<Item> items, PrintWriter err) {
        if (vectors.isEmpty() || items.isEmpty()) return;
        Set<String> names = new HashSet<>();
        for (Item it : items) names.add(it.name());
        List<String> unmatched = items.stream().map(Item::name).filter(n -> !vectors.containsKey(n)).toList();
        if (unmatched.isEmpty()) return;
        int matched = items.size() - unmatched.size();
        String counts = String.format(Locale.ROOT, "%,d of %,d items have a vector in --embeddings", matched, items.size());
        String examples = "items are named like " + examples(unmatched) + "; the file names "
                + examples(vectors.keySet().stream().filter(n -> !names.contains(n)).toList());
        if (matched < minMatch.share() * items.size()) {
            throw new CliFailure(counts + ", fewer than --embeddings-min-match " + minMatch + "; " + examples);
        }
        err.printf(Locale.ROOT, "warning: %s; the other %,d are compared by their descriptors only; %s%n", counts, unmatched.size(), examples);
        err.flush();
    }

    private static String examples(List<String> names) {
        String shown = names.stream().limit(EXAMPLES).collect(Collectors.joining(", "));
        return names.size() > EXAMPLES ? shown + ", ..." : shown;
    }
}
