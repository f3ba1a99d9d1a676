package dev.exemplar.analysis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedundancyTest {

    @Test
    void oneClassClustersAreRedundantMixedOnesInfluential() {
        // clusters: 0 = {0, 1, 2} all class 7; 1 = {3, 4} classes 7 and 8; 2 = {5} alone; 3 = {6, 7} class 8
        int[] assignment = {0, 0, 0, 1, 1, 2, 3, 3};
        int[] classes = {7, 7, 7, 7, 8, 7, 8, 8};
        int[] representative = {1, 3, 5, 7};
        Redundancy.Groups g = Redundancy.of(assignment, classes, representative);
        assertThat(g.redundant()).containsExactly(new int[] {0, 1, 2}, new int[] {6, 7});
        assertThat(g.kept()).containsExactly(1, 7);
        assertThat(g.influential()).containsExactly(new int[] {3, 4});
        // the reduced set drops the redundant items not kept, and keeps influential and lone items
        assertThat(g.reduced()).containsExactly(1, 3, 4, 5, 7);
        assertThat(g.discarded()).isEqualTo(3);
    }

    @Test
    void aRepresentativeOutsideItsClusterIsAnError() {
        assertThatThrownBy(() -> Redundancy.of(new int[] {0, 0, 1}, new int[] {1, 1, 1}, new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
