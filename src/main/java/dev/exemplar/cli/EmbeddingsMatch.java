package dev.exemplar.cli;

import dev.exemplar.features.Embeddings;
import dev.exemplar.summary.Item;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many items must have a vector of {@code --embeddings}: a file whose names miss the items' (a folder prefix, an
 * extension) would change the run without failing it. Shared by the commands that read embeddings.
 */
final class EmbeddingsMatch {
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
        Embeddings.Match match = new Embeddings.Match(items.size(), unmatched.size(), unmatched,
                vectors.keySet().stream().filter(n -> !names.contains(n)).limit(Embeddings.Match.EXAMPLES + 1).toList());
        if (match.below(minMatch.share())) throw new CliFailure(match.refusal("--embeddings-min-match " + minMatch));
        err.println(match.warning());
        err.flush();
    }
}
