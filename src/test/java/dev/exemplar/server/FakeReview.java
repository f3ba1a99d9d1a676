package dev.exemplar.server;

import dev.exemplar.backend.Review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A review held in memory, as the store-backed one behaves: filters by label and confidence,
 * least certain first, states that change on accept and reject, counters from those states.
 * It records every call so tests can check what the routes and the page asked for.
 */
final class FakeReview implements Review {
    record Accepted(long project, long task, String token) { }

    /** A token Label Studio "refuses": accept answers 401 with a message that quotes it. */
    static final String REFUSED_TOKEN = "refused-token-123";

    private final long project;
    private final List<Group> groups;
    private final Map<Long, String> states = new HashMap<>();
    private final Map<Long, byte[]> thumbnails;
    private final List<Query> queries = new ArrayList<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final List<Long> rejected = new ArrayList<>();
    /** Thrown by the next accept, as a broken implementation might. */
    volatile RuntimeException failNextAccept;

    FakeReview(long project, List<Group> groups, Map<Long, byte[]> thumbnails) {
        this.project = project;
        this.groups = List.copyOf(groups);
        this.thumbnails = Map.copyOf(thumbnails);
        for (Group g : groups) for (Proposal p : g.constituents()) states.putIfAbsent(p.task(), p.state());
    }

    @Override
    public synchronized Optional<Page> page(long project, Query q) {
        queries.add(q);
        if (project != this.project) return Optional.empty();
        List<Group> matching = new ArrayList<>();
        for (Group g : groups) {
            List<Proposal> shown = g.constituents().stream()
                    .filter(p -> q.label() == null || p.labels().contains(q.label()))
                    .filter(p -> p.confidence() >= q.minConfidence() && p.confidence() <= q.maxConfidence())
                    .map(p -> new Proposal(p.task(), p.labels(), p.confidence(), states.get(p.task())))
                    .sorted(Comparator.comparingDouble(Proposal::confidence))
                    .toList();
            if (!shown.isEmpty()) matching.add(new Group(g.delegate(), g.rank(), g.labels(), shown));
        }
        matching.sort(Comparator.comparingDouble(g -> g.constituents().get(0).confidence()));
        int from = Math.min(q.offset(), matching.size()), to = Math.min(matching.size(), from + q.limit());
        Set<String> labels = new TreeSet<>();
        groups.forEach(g -> {
            labels.addAll(g.labels());
            g.constituents().forEach(p -> labels.addAll(p.labels()));
        });
        return Optional.of(new Page(List.copyOf(matching.subList(from, to)), matching.size(), counters(), List.copyOf(labels)));
    }

    private Counters counters() {
        int acc = (int) states.values().stream().filter("accepted"::equals).count();
        int rej = (int) states.values().stream().filter("rejected"::equals).count();
        return new Counters(groups.size(), states.size(), acc, rej);
    }

    @Override
    public synchronized Optional<byte[]> thumbnail(long project, long task) {
        return project == this.project ? Optional.ofNullable(thumbnails.get(task)) : Optional.empty();
    }

    @Override
    public synchronized void accept(long project, long task, String reviewerToken) {
        if (failNextAccept != null) {
            RuntimeException e = failNextAccept;
            failNextAccept = null;
            throw e;
        }
        proposed(project, task);
        if (reviewerToken.equals(REFUSED_TOKEN)) {
            throw new ReviewException(401, "Label Studio refused the token " + reviewerToken + ": 401 Invalid token.");
        }
        accepted.add(new Accepted(project, task, reviewerToken));
        states.put(task, "accepted");
    }

    @Override
    public synchronized void reject(long project, long task) {
        proposed(project, task);
        rejected.add(task);
        states.put(task, "rejected");
    }

    private void proposed(long project, long task) {
        if (project != this.project) throw new ReviewException(404, "project " + project + " is not known");
        String state = states.get(task);
        if (state == null) throw new ReviewException(404, "task " + task + " has no propagated label");
        if (!state.equals("proposed")) throw new ReviewException(409, "task " + task + " is already " + state);
    }

    synchronized List<Query> queries() {
        return List.copyOf(queries);
    }

    synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<Long> rejected() {
        return List.copyOf(rejected);
    }

    synchronized String state(long task) {
        return states.get(task);
    }

    /** Builds groups from rows of (delegate, label, constituents with confidences). */
    static final class Builder {
        private final Map<Long, Group> groups = new LinkedHashMap<>();

        Builder group(long delegate, int rank, String label, Object... taskConfidencePairs) {
            List<Proposal> ps = new ArrayList<>();
            for (int i = 0; i < taskConfidencePairs.length; i += 2) {
                ps.add(new Proposal(((Number) taskConfidencePairs[i]).longValue(), List.of(label),
                        ((Number) taskConfidencePairs[i + 1]).doubleValue(), "proposed"));
            }
            groups.put(delegate, new Group(delegate, rank, List.of(label), ps));
            return this;
        }

        List<Group> build() {
            return List.copyOf(groups.values());
        }

    }
}
