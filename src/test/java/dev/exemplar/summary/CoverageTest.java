package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageTest {

    /** Lists of degree 2 by rank; the second neighbour sets the scale, so w = exp(-(1 - s) / (1 - s_2nd)). */
    private static Coverage of(int n, int[] ids, float[] sims) {
        return Coverage.of(new Pipeline.Neighbours(2, ids, sims), n, 2, 0.5);
    }

    @Test
    void anItemIsCoveredFromTheFirstRankThatRepresentsItAtLeastHalf() {
        // 0 and 1: similarity 0.9 at scale 0.5, w = exp(-0.2) = 0.82; 2 and 3: 0.95, w = exp(-0.1) = 0.90;
        // the pairs at similarity 0.5 have w = exp(-1) = 0.37 and cover nothing
        Coverage c = of(4, new int[] {1, 2, 0, 3, 3, 0, 2, 1}, new float[] {0.9f, 0.5f, 0.9f, 0.5f, 0.95f, 0.5f, 0.95f, 0.5f});

        assertThat(c.items()).isEqualTo(4);
        assertThat(new int[] {c.covered(0), c.covered(1), c.covered(2), c.covered(3), c.covered(4)}).containsExactly(0, 2, 2, 4, 4);
        assertThat(c.share(1)).isEqualTo(0.5);
        assertThat(c.sizeFor(0.5)).isEqualTo(1);
        assertThat(c.sizeFor(0.75)).isEqualTo(3);
        assertThat(c.sizeFor(1)).isEqualTo(3);
        assertThat(c.covered(99)).isEqualTo(4);
    }

    @Test
    void oneSideOfAPairReachingTheLevelCoversBothWays() {
        // rank 0 lists rank 2 at w = exp(-0.1 / 0.4) = 0.78, while rank 2's own list has rank 0 at exp(-0.8 / 0.8) = 0.37;
        // rank 1 lists rank 0 at w = exp(-0.3 / 0.4) = 0.47, just below, and only rank 2's list reaches it
        Coverage c = of(3, new int[] {2, 1, 0, 2, 1, 0}, new float[] {0.9f, 0.6f, 0.7f, 0.6f, 0.99f, 0.2f});

        assertThat(new int[] {c.covered(0), c.covered(1), c.covered(2), c.covered(3)}).containsExactly(0, 2, 3, 3);
        assertThat(c.sizeFor(0.9)).isEqualTo(2);
    }

    @Test
    void withoutNeighboursEachItemCoversOnlyItself() {
        Coverage c = Coverage.of(Pipeline.Neighbours.NONE, 5);
        assertThat(c.covered(3)).isEqualTo(3);
        assertThat(c.share(5)).isEqualTo(1.0);
        assertThat(Coverage.of(Pipeline.Neighbours.NONE, 0).share(0)).isEqualTo(1.0);
    }

    @Test
    void theAutomaticSizeOfAGreedyOrderCoversEveryItem() {
        float[][] x = FacilityLocationTest.planted(80, 0.35, 7).x();
        NeighbourGraph graph = NeighbourGraph.exact(x, Pipeline.NEIGHBOURS);
        Pipeline.Order order = Pipeline.order(graph);
        int k = SummarySize.knee(order.gains()).size();
        Coverage c = Coverage.of(graph.inOrder(order.order()), x.length);

        assertThat(k).isLessThan(x.length);
        assertThat(c.covered(k)).isEqualTo(x.length);
        for (int i = 1; i <= x.length; i++) assertThat(c.covered(i)).isGreaterThanOrEqualTo(c.covered(i - 1)).isGreaterThanOrEqualTo(i);
    }
}
