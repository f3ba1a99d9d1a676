package dev.exemplar.propagation;

import dev.exemplar.propagation.LabelVote.Source;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LabelVoteTest {
    @Test
    void linkedDelegatesVoteByLinkWeight() {
        var p = LabelVote.propose(List.of(new Source(1, 0.6, 0.9), new Source(2, 0.4, 0.8), new Source(3, 0, 0.95)),
                Map.of(1L, List.of(Set.of("cat")), 2L, List.of(Set.of("dog")), 3L, List.of(Set.of("dog"))), false).orElseThrow();
        assertThat(p.values()).containsExactly("cat");
        assertThat(p.shares()).containsEntry("cat", 0.6).containsEntry("dog", 0.4);
        assertThat(p.linked()).isTrue();
        assertThat(p.sources()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void withoutALabelledLinkTheNearestLabelledDelegateStandsInWithLessConfidence() {
        Map<Long, List<Set<String>>> labels = Map.of(3L, List.of(Set.of("dog")));
        var near = LabelVote.propose(List.of(new Source(1, 1.0, 0.9), new Source(3, 0, 0.9)), labels, false).orElseThrow();
        var linked = LabelVote.propose(List.of(new Source(3, 1.0, 0.9)), labels, false).orElseThrow();
        assertThat(near.values()).containsExactly("dog");
        assertThat(near.linked()).isFalse();
        assertThat(near.confidence()).isLessThan(linked.confidence());
    }

    @Test
    void nothingLabelledProposesNothing() {
        assertThat(LabelVote.propose(List.of(new Source(1, 1.0, 0.9)), Map.of(), false)).isEmpty();
    }

    @Test
    void multipleChoicesKeepEveryValueBackedByHalfTheWeight() {
        var p = LabelVote.propose(List.of(new Source(1, 0.5, 0.9), new Source(2, 0.3, 0.9), new Source(3, 0.2, 0.9)),
                Map.of(1L, List.of(Set.of("indoor", "kitchen")), 2L, List.of(Set.of("indoor")), 3L, List.of(Set.of("outdoor"))),
                true).orElseThrow();
        assertThat(p.values()).containsExactly("indoor", "kitchen");
        assertThat(p.shares()).containsEntry("indoor", 0.8).containsEntry("kitchen", 0.5).containsEntry("outdoor", 0.2);
    }

    @Test
    void confidenceRisesWithAgreementAndSimilarity() {
        assertThat(Confidence.of(true, 1.0, 0.95, 1.0, 0)).isGreaterThan(Confidence.of(true, 0.5, 0.95, 1.0, 0));
        assertThat(Confidence.of(true, 1.0, 0.95, 1.0, 0)).isGreaterThan(Confidence.of(true, 1.0, 0.7, 1.0, 0));
        assertThat(Confidence.of(true, 1.0, 0.99, 1.0, 0)).isBetween(0.0, 1.0);
    }
}
