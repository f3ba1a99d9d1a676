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

        Links.Table t = Links.build(Rows.of(x), new int[] {0, 1, 2, 3, 4, 5}, 5, 3, NeighbourGraph.build(x, 5), Progress.NONE);

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

        Links.Table t = Links.build(Rows.of(p.x()), order, k, 3, NeighbourGraph.build(p.x(), 20), Progress.NONE);

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

    /**
     * 30,000 rows in a random order, the first 3,000 delegates: the search over cells against
     * comparing with every delegate. Its first candidate is the nearest delegate for 81% of the
     * constituents (on these 300 clusters in 59 cells; the others get a near one, the cells and
     * the graph hold most near pairs).
     */
    @Test
    void searchedCandidatesAreDelegatesAndStartWithTheNearestDelegate() {
        int n = 30_000, summary = 3_000;
        float[][] x = NeighbourSearchTest.clustered(n, 64, 300, 0.8, 21);
        int[] order = shuffled(n, 22);
        Set<Integer> delegates = new HashSet<>();
        for (int r = 0; r < summary; r++) delegates.add(order[r]);
        NeighbourGraph graph = NeighbourSearch.approximate(Rows.of(x), 20, 1);
        Links.Candidates searched = Links.candidates(Rows.of(x), order, summary, graph, false);
        Links.Candidates exact = Links.candidates(Rows.of(x), order, summary, graph, true);
        int agree = 0;
        for (int r = summary; r < n; r++) {
            int c = order[r];
            int[] near = searched.of(c);
            assertThat(near).isNotEmpty().hasSizeLessThanOrEqualTo(Links.CANDIDATES).doesNotHaveDuplicates();
            for (int d : near) assertThat(delegates).contains(d);
            if (near[0] == exact.of(c)[0]) agree++;
        }
        assertThat(agree / (double) (n - summary)).isGreaterThanOrEqualTo(0.78);
    }

    @Test
    void linksFoundOverCellsEqualTheExactOnesOnSmallInputs() {
        FacilityLocationTest.Planted p = FacilityLocationTest.planted(120, 0.5, 9);
        int[] order = FacilityLocationTest.order(p.x()).order();
        int k = order.length / 5;
        NeighbourGraph graph = NeighbourSearch.approximate(Rows.of(p.x()), 20, 1);
        Links.Table searched = Links.build(Rows.of(p.x()), order, k, 3, graph, Progress.NONE, false);
        Links.Table exact = Links.build(Rows.of(p.x()), order, k, 3, graph, Progress.NONE, true);
        for (int r = k; r < order.length; r++) {
            int c = order[r];
            assertThat(searched.delegates()[c]).as("delegates of %d", c).containsExactly(exact.delegates()[c]);
            assertThat(searched.weights()[c]).containsExactly(exact.weights()[c], within(1e-6));
        }
    }

    @Test
    void thePursuitFromInnerProductsGivesTheLinksOfThePursuitOnVectors() {
        FacilityLocationTest.Planted p = FacilityLocationTest.planted(40, 0.6, 17);
        int[] order = FacilityLocationTest.order(p.x()).order();
        int k = 40;
        Links.Table t = Links.build(Rows.of(p.x()), order, k, 3, NeighbourGraph.exact(p.x(), 20), Progress.NONE);
        for (int r = k; r < order.length; r++) {
            int c = order[r];
            float[][] atoms = new float[t.candidates()[c].length][];
            for (int a = 0; a < atoms.length; a++) atoms[a] = p.x()[t.candidates()[c][a]];
            NonNegativeOmp.Solution s = NonNegativeOmp.solve(p.x()[c], atoms, 3, Links.MIN_GAIN);
            int[] expected = java.util.Arrays.stream(s.atoms()).map(a -> t.candidates()[c][a]).toArray();
            assertThat(t.delegates()[c]).as("delegates of %d", c).containsExactly(expected);
        }
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
