package dev.exemplar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.analysis.AnalysisFile;
import dev.exemplar.json.Json;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What export reads: the result file of summarize, or the analysis file of analyze, whose reduced set it can copy. */
record ExportInput(Kind kind, Result result, AnalysisFile analysis) {
    enum Kind { RESULT, ANALYSIS }

    static ExportInput read(Path file) {
        if (!Files.exists(file)) throw new CliFailure("RESULT " + file + " does not exist; give the file summarize --out wrote");
        if (Files.isDirectory(file)) throw new CliFailure("RESULT " + file + " is a folder; give the file summarize --out wrote");
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw notAResult(file, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot read RESULT " + file + ": " + Main.describe(e));
        }
        if (root != null && root.has("order")) return new ExportInput(Kind.RESULT, result(file), null);
        if (root != null && root.has("reduced_set")) return new ExportInput(Kind.ANALYSIS, null, analysis(file));
        throw notAResult(file, "it has neither an order nor a reduced set");
    }

    private static Result result(Path file) {
        Result r;
        try {
            r = Result.read(file);
        } catch (IOException e) {
            throw notAResult(file, Main.describe(e).lines().findFirst().orElse(""));
        }
        if (r.order() == null || r.links() == null || r.duplicates() == null || r.errors() == null) {
            throw notAResult(file, "order, links, duplicates and errors are required");
        }
        if (r.isPartial()) {
            throw new CliFailure("RESULT " + file + " is a partial result (" + r.stopped() + "); run summarize again to the end");
        }
        if (r.summarySize() < 0 || r.summarySize() > r.order().size()) {
            throw notAResult(file, "summary_size " + r.summarySize() + " is not between 0 and the " + r.order().size() + " items");
        }
        return r;
    }

    private static AnalysisFile analysis(Path file) {
        try {
            return AnalysisFile.read(file);
        } catch (IOException e) {
            throw new CliFailure("RESULT " + file + " is not an analysis file analyze wrote: "
                    + Main.describe(e).lines().findFirst().orElse(""));
        }
    }

    private static CliFailure notAResult(Path file, String why) {
        return new CliFailure("RESULT " + file + " is not a result file (" + why + "); give the file summarize --out wrote");
    }
}
