package dev.exemplar.report;

import dev.exemplar.analysis.Analysis;

import java.util.Objects;

/** What the analysis report shows: the analysis, and where the training and test images' pictures come from. */
public record AnalysisReport(Analysis.Outcome outcome, ThumbnailSource train, ThumbnailSource test, String title) {
    public AnalysisReport {
        Objects.requireNonNull(outcome, "outcome");
        train = train == null ? item -> null : train;
        test = test == null ? item -> null : test;
        title = title == null || title.isBlank() ? "Exemplar analysis" : title;
    }
}
