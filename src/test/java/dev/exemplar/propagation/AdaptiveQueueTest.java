package dev.exemplar.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The adaptive queue asks first for labels where nothing is known yet. */
class AdaptiveQueueTest {
    /** Two groups of four items, each item's neighbours the other three of its group (similarity 0.9), then the other group (0.1). */
    private static final int DEGREE = 7;
    private static final int[] NEIGHBOURS = new int[8 * DEGREE];
    private static final float[] SIMILARITIES = new float[8 * DEGREE];

    static {
        for (int i = 0; i < 8; i++) {
            int t = 0;
            for (int j = 0; j < 8; j++) {
                if (j == i || j / 4 != i / 4) continue;
                NEIGHBOURS[i * DEGREE + t] = j;
                SIMILARITIES[i * DEGREE + t++] = 0.9f;
            }
            for (int j = 0; j < 8; j++) {
                if (j / 4 == i / 4) continue;
                NEIGHBOURS[i * DEGREE + t] = j;
                SIMILARITIES[i * DEGREE + t++] = 0.1f;
            }
        }
    }

    @Test
    void anItemOfAGroupNoLabelHasReachedComesBeforeOnesBesideConfidentLabels() {
        // item 0 labelled and its group confidently spread to; the second group reached by nothing
        double[] confidence = {1, 0.95, 0.95, 0.95, 0, 0, 0, 0};
        boolean[] open = {false, true, true, true, true, true, true, true};

        int[] next = AdaptiveQueue.next(DEGREE, NEIGHBOURS, SIMILARITIES, confidence, open, 8, 4);

        assertThat(next).containsExactly(4, 5, 6, 7);
    }

    @Test
    void delegatesComeFirstAndTheSummaryOrderBreaksTies() {
        double[] confidence = new double[8];
        boolean[] open = new boolean[8];
        Arrays.fill(open, true);

        // items 0 to 5 are the summary: 6 and 7, constituents, come after every delegate whatever their gain
        int[] next = AdaptiveQueue.next(DEGREE, NEIGHBOURS, SIMILARITIES, confidence, open, 6, 8);

        assertThat(next).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void onlyOpenItemsAreOffered() {
        double[] confidence = new double[8];
        boolean[] open = {false, false, true, false, false, false, false, true};

        assertThat(AdaptiveQueue.next(DEGREE, NEIGHBOURS, SIMILARITIES, confidence, open, 8, 5)).containsExactly(2, 7);
    }
}
