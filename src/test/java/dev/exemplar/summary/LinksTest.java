package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import java.util.Random;

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

        Links.Table t = Links.build(x, new int[] {0, 1, 2, 3, 4, 5}, 5, 3, Progress.NONE);

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

        Links.Table t = Links.build(p.x(), order, k, 3, Progress.NONE);

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
}
