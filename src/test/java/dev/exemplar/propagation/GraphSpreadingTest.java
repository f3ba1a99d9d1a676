package dev.exemplar.propagation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class GraphSpreadingTest {
    /** Neighbour lists of equal length, most similar first: lists[i] names item i's neighbours, sims[i] their similarities. */
    private static GraphSpreading.Spread spread(int[][] lists, float[][] sims, int[] known, int[] linkVote) {
        int n = lists.length, degree = lists[0].length;
        int[] ids = new int[n * degree];
        float[] s = new float[n * degree];
        for (int i = 0; i < n; i++) {
            System.arraycopy(lists[i], 0, ids, i * degree, degree);
            System.arraycopy(sims[i], 0, s, i * degree, degree);
        }
        return GraphSpreading.spread(degree, ids, s, known, linkVote);
    }

    private static int[] unknown(int n) {
        int[] known = new int[n];
        Arrays.fill(known, -1);
        return known;
    }

    /** Items 0-4 and 5-9, each listing the other four of its own group alike, and its nearest of the other group far less. */
    private static final int[][] TWO_GROUPS = new int[10][];
    private static final float[][] TWO_GROUPS_SIMS = new float[10][];

    static {
        for (int i = 0; i < 10; i++) {
            int base = i < 5 ? 0 : 5, other = i < 5 ? 5 : 0;
            int[] list = new int[5];
            float[] sims = new float[5];
            int t = 0;
            for (int j = base; j < base + 5; j++) {
                if (j == i) continue;
                list[t] = j;
                sims[t++] = 0.95f - 0.01f * t;
            }
            list[4] = other + i % 5;
            sims[4] = 0.5f;
            TWO_GROUPS[i] = list;
            TWO_GROUPS_SIMS[i] = sims;
        }
    }

    @Test
    void twoGroupsWithOneLabelEachGiveEveryItemItsGroupsLabel() {
        int[] known = unknown(10);
        known[0] = 0;
        known[7] = 1;

        GraphSpreading.Spread s = spread(TWO_GROUPS, TWO_GROUPS_SIMS, known, null);

        assertThat(s.labels()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
    }

    @Test
    void labelledItemsKeepTheirLabelsWhateverSurroundsThem() {
        int[] known = unknown(10);
        known[0] = 0;
        known[1] = 1; // alone among its group's label 0 items
        known[2] = 0;
        known[3] = 0;

        GraphSpreading.Spread s = spread(TWO_GROUPS, TWO_GROUPS_SIMS, known, null);

        assertThat(s.labels()[1]).isEqualTo(1);
        assertThat(s.confidence()[1]).isEqualTo(1.0);
        assertThat(s.labels()[4]).as("the majority of its group").isEqualTo(0);
    }

    @Test
    void itemsNoLabelReachesGetNone() {
        // 0-1-2 a chain, 3-4 a pair apart from it
        int[][] lists = {{1}, {0}, {1}, {4}, {3}};
        float[][] sims = {{0.9f}, {0.9f}, {0.9f}, {0.9f}, {0.9f}};
        int[] known = unknown(5);
        known[0] = 0;

        GraphSpreading.Spread s = spread(lists, sims, known, null);

        assertThat(s.labels()).containsExactly(0, 0, 0, -1, -1);
        assertThat(s.confidence()[3]).isZero();
    }

    @Test
    void confidenceFallsWithDistanceFromTheLabelAndWithDisagreement() {
        // a chain 0-1-2-3-4-5-6 labelled at 0 with A, and at 6 with B
        int n = 7;
        int[][] lists = new int[n][];
        float[][] sims = new float[n][];
        for (int i = 0; i < n; i++) {
            lists[i] = new int[] {i == 0 ? 1 : i - 1, i == n - 1 ? n - 2 : i + 1};
            sims[i] = new float[] {0.95f, 0.95f};
        }
        int[] known = unknown(n);
        known[0] = 0;
        known[6] = 1;

        GraphSpreading.Spread s = spread(lists, sims, known, null);

        assertThat(s.labels()).containsExactly(0, 0, 0, s.labels()[3], 1, 1, 1);
        assertThat(s.confidence()[1]).as("next to its label, than two steps away").isGreaterThanOrEqualTo(s.confidence()[2]);
        assertThat(s.confidence()[2]).as("two steps away, than halfway between two labels").isGreaterThanOrEqualTo(s.confidence()[3]);
        assertThat(s.confidence()[1]).isGreaterThan(s.confidence()[3]);
    }

    @Test
    void linksThatVoteTheSameWayRaiseTheConfidenceAndLinksThatDisagreeLowerIt() {
        int[] known = unknown(10);
        known[0] = 0;
        known[7] = 1;
        int n = TWO_GROUPS.length, degree = TWO_GROUPS[0].length;
        int[] ids = new int[n * degree];
        float[] sims = new float[n * degree];
        for (int i = 0; i < n; i++) {
            System.arraycopy(TWO_GROUPS[i], 0, ids, i * degree, degree);
            System.arraycopy(TWO_GROUPS_SIMS[i], 0, sims, i * degree, degree);
        }
        GraphSpreading.Evidence e = GraphSpreading.evidence(degree, ids, sims, known);
        SpreadConfidence model = SpreadConfidence.FITTED;

        // item 3 has label 0 spread to it; its links vote 0, nothing, or 1
        double agreeing = model.score(SpreadConfidence.features(e, 3, 0));
        double alone = model.score(SpreadConfidence.features(e, 3, -1));
        double disagreeing = model.score(SpreadConfidence.features(e, 3, 1));

        assertThat(agreeing).isGreaterThan(alone);
        assertThat(alone).isGreaterThan(disagreeing);
    }

    @Test
    void anItemAmongMoreLabelsThanItKeepsTakesTheStrongest() {
        // item 0 lists six labelled items, each a label of its own, the nearest labelled 5
        int[][] lists = {{6, 1, 2, 3, 4, 5}, {0, 2, 3, 4, 5, 6}, {0, 1, 3, 4, 5, 6}, {0, 1, 2, 4, 5, 6}, {0, 1, 2, 3, 5, 6},
            {0, 1, 2, 3, 4, 6}, {0, 1, 2, 3, 4, 5}};
        float[][] sims = new float[7][];
        for (int i = 0; i < 7; i++) {
            sims[i] = new float[6];
            Arrays.fill(sims[i], 0.6f);
        }
        sims[0][0] = 0.99f;
        int[] known = {-1, 0, 1, 2, 3, 4, 5};

        GraphSpreading.Spread s = spread(lists, sims, known, null);

        assertThat(s.labels()[0]).isEqualTo(5);
    }
}
