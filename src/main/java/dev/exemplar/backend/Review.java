package dev.exemplar.backend;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Optional;

/**
 * What the review page shows and does: delegates with the constituents their labels were
 * propagated to, least certain first. Implemented over the store and Label Studio. The records are the
 * page's JSON, their fields in snake case.
 */
public interface Review {
    /** A constituent's propagated label. {@code state} is proposed, accepted or rejected. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Proposal(long task, List<String> labels, double confidence, String state) { }

    /** A labelled delegate and the constituents whose propagated label draws on it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Group(long delegate, int rank, List<String> labels, List<Proposal> constituents) { }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Counters(int delegatesLabelled, int constituentsPropagated, int accepted, int rejected) { }

    /**
     * Which proposals to show: {@code label} null for all; confidences within [min, max];
     * {@code offset}/{@code limit} count groups.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Query(String label, double minConfidence, double maxConfidence, int offset, int limit) { }

    /** {@code total}: groups matching the query; {@code labels}: every label that occurs, for the filter. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Page(List<Group> groups, int total, Counters counters, List<String> labels) { }

    /** Why an action could not be done, with the HTTP status to answer. */
    final class ReviewException extends RuntimeException {
        private final int status;

        public ReviewException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Empty when the project is unknown. */
    Optional<Page> page(long project, Query query);

    /** A small JPEG of the task's image, from the plugin's own cache; empty when it has none. */
    Optional<byte[]> thumbnail(long project, long task);

    /**
     * Creates the annotation in Label Studio from the propagated prediction, under the account of
     * the reviewer whose token this is (never the plugin's own).
     */
    void accept(long project, long task, String reviewerToken);

    /** Removes the propagated prediction and returns the constituent to the summary queue. */
    void reject(long project, long task);
}
