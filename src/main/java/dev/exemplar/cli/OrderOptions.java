package dev.exemplar.cli;

import dev.exemplar.summary.SummarySize;
import picocli.CommandLine.Option;

/** How the order is cut and linked: the summary's size and the links per constituent. Shared by the commands that order. */
final class OrderOptions {
    @Option(names = "--summary-size", paramLabel = "N|P%|auto", defaultValue = "auto",
            description = "items in the summary: a count, a percentage, or auto (the knee of the gain curve)")
    String summarySize;

    @Option(names = "--max-delegates", paramLabel = "N", defaultValue = "3",
            description = "links per constituent, at most (default: ${DEFAULT-VALUE})")
    int maxDelegates;

    /** Refuses values the run could not use, before any work. */
    void check() {
        try {
            SummarySize.parse(summarySize, 1, new double[] {1});
        } catch (RuntimeException e) {
            throw new CliFailure("bad --summary-size " + summarySize + ": expected a count N, a percentage P% or auto");
        }
        if (maxDelegates < 1) throw new CliFailure("--max-delegates must be at least 1, got " + maxDelegates);
    }
}
