package dev.exemplar.cli;

import dev.exemplar.image.ImageLoader;
import dev.exemplar.summary.FeatureMethod;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.SummarySize;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * How the order is made: what images are compared by, the summary's size and the links per constituent. Shared by
 * the commands that order.
 */
final class OrderOptions {
    @Option(names = "--summary-size", paramLabel = "N|P%|auto", defaultValue = "auto",
            description = "items in the summary: a count, a percentage of the readable items, or auto "
                    + "(default: where the marginal gain falls below 0.5)")
    String summarySize;

    @Option(names = "--max-delegates", paramLabel = "N", defaultValue = "3",
            description = "links per constituent, at most (default: ${DEFAULT-VALUE})")
    int maxDelegates;

    @Option(names = "--features", paramLabel = "combined|wavelet|learned", defaultValue = "combined",
            description = "what images are compared by: combined global descriptors (default), wavelet "
                    + "coefficients, the most linearly independent over the dataset, or the descriptors joined with a "
                    + "network's learned features, for projects where classes matter more than exact scenes")
    FeatureMethod features;

    /** The engine's options for these settings, with the embeddings by item name (may be empty). */
    Pipeline.Options pipeline(Map<String, float[]> embeddings, ImageLoader loader) {
        return new Pipeline.Options(summarySize, maxDelegates, embeddings, loader, features);
    }

    /** Refuses values the run could not use, before any work. */
    void check() {
        try {
            SummarySize.parse(summarySize, 1, new double[] {1});
        } catch (RuntimeException e) {
            throw new CliFailure("--summary-size must be a count of items from 1 (more than there are takes them all), "
                    + "a percentage above 0% up to 100%, or auto; got " + summarySize);
        }
        if (maxDelegates < 1) throw new CliFailure("--max-delegates must be at least 1, got " + maxDelegates);
    }
}
