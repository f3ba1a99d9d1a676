package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinksTest {
    @Test
    void aMixtureOfTwoDelegatesLinksToBothWithItsProportions() {
        // delegates are the first 5 unit axes; item 5 is 0.7 e0 + 0.3 e3, normalised
        float[][] x = new float[6][8];
        for (int i = 0; i < 5; i++) x[i][i] = 1;
        float n = (float) Math.hypot(0.7, 0.3);
        x[5][0] = 0.7f / n;
        x[5][3] = 0.3f / n;

        Links.Table t = Links.build(x, new int[] {0, 1, 2, 3, 4, 5}, 5, 3, NeighbourGraph.build(x, 5), Progress.NONE);

        assertThat(t.delegates()[5]).containsExactly(0, 3);
        assertThat(t.weights()[5][0]).isCloseTo(0.7, within(1e-6));
        assertThat(t.weights()[5][1]).isCloseTo(0.3, within(1e-6));
        for (int d = 0; d < 5; d++) assertThat(t.delegates()[d]).as("a delegate has no links").isNull();
    }

    @Test
    void everyConstituentLinksToOneToThreeEarlierDelegatesWithWeightsSummingToOne() {
        FacilityLocationTest.Planted p = FacilityLocationTest.planted(30, 0.5, 5);
        int[] order = FacilityLocationTest.order(p.x()).order();
        int k = 30;

        Links.Table t = Links.build(p.x(), order, k, 3, NeighbourGraph.build(p.x(), 20), Progress.NONE);

        int[] rank = new int[order.length];
        for (int r = 0; r < order.length; r++) rank[order[r]] = r;
        int sameCluster = 0;
        for (int r = k; r < order.length; r++) {
            int c = order[r];
            assertThat(t.delegates()[c]).hasSizeBetween(1, 3);
            double sum = 0;
            for (int j = 0; j < t.delegates()[c].length; j++) {
                assertThat(rank[t.delegates()[c][j]]).isLessThan(k);
                assertThat(t.weights()[c][j]).isPositive();
                if (j > 0) assertThat(t.weights()[c][j]).isLessThanOrEqualTo(t.weights()[c][j - 1]);
                sum += t.weights()[c][j];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
            if (p.cluster()[t.delegates()[c][0]] == p.cluster()[c]) sameCluster++;
        }
        assertThat(sameCluster).as("constituents whose strongest delegate is from their own cluster")
                .isEqualTo(order.length - k);
    }

    @Test
    void searchedCandidatesAreDelegatesAndStartWithTheNearestDelegate() {
        int n = 30_000, summary = 3_000; // 8e7 pairs: above the brute-force limit
        assertThat((double) summary * (n - summary)).isGreaterThan(Links.BRUTE_FORCE_MAX);
        float[][] x = NeighbourSearchTest.clustered(n, 64, 300, 0.8, 21);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(22);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Set<Integer> delegates = new HashSet<>();
        for (int r = 0; r < summary; r++) delegates.add(order[r]);
        NeighbourGraph graph = NeighbourGraph.build(x, 20);
        Links.Candidates candidates = Links.candidates(x, order, summary, graph);
        int agree = 0;
        for (int r = summary; r < n; r++) {
            int c = order[r];
            int[] near = candidates.of(c);
            assertThat(near).isNotEmpty().hasSizeLessThanOrEqualTo(Links.CANDIDATES).doesNotHaveDuplicates();
            for (int d : near) assertThat(delegates).contains(d);
            int exact = -1;
            float bestSim = Float.NEGATIVE_INFINITY;
            for (int q = 0; q < summary; q++) {
                float s = NeighbourSearch.dot(x[c], x[order[q]]);
                if (s > bestSim) {
                    bestSim = s;
                    exact = order[q];
                }
            }
            if (near[0] == exact) agree++;
        }
        assertThat(agree / (double) (n - summary)).isGreaterThanOrEqualTo(0.95);
    }
}
