package dev.exemplar.report;

import dev.exemplar.summary.Coverage;
import dev.exemplar.summary.Result;

import java.util.Objects;

/**
 * What the HTML report shows: the result, the marginal gain of each item of the order
 * ({@code gains[i]} for the i-th item), how much of the collection each summary size covers
 * (null when not known), why the summary has its size, and where pictures come from.
 */
public record Report(Result result, double[] gains, Coverage coverage, String summaryReason, ThumbnailSource thumbnails, String title) {
    public Report {
        Objects.requireNonNull(result, "result");
        gains = gains == null ? new double[0] : gains;
        summaryReason = summaryReason == null ? "" : summaryReason;
        thumbnails = thumbnails == null ? item -> null : thumbnails;
        title = title == null || title.isBlank() ? "Exemplar report" : title;
    }
}
