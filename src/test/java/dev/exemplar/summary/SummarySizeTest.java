package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SummarySizeTest {
    private static final double[] GAINS = {9, 4, 2, 1.0, 0.8, 0.5, 0.49, 0.2, 0.1, 0};

    @Test
    void automaticSizeEndsWhereItemsBecomeMoreRepresentedThanNew() {
        SummarySize.Choice c = SummarySize.parse("auto", GAINS.length, GAINS);
        assertThat(c.size()).isEqualTo(6);
        assertThat(c.reason()).contains("0.5").contains("item 6 of 10");
    }

    @Test
    void automaticSizeIsAtLeastOne() {
        assertThat(SummarySize.knee(new double[] {0.1, 0.05}).size()).isEqualTo(1);
    }

    @Test
    void givenSizesAreCountsOrShares() {
        assertThat(SummarySize.parse("3", 10, GAINS).size()).isEqualTo(3);
        assertThat(SummarySize.parse("25%", 10, GAINS).size()).isEqualTo(3);
        assertThat(SummarySize.parse("50", 10, GAINS).size()).isEqualTo(10);
        assertThat(SummarySize.parse("50", 10, GAINS).reason()).contains("capped");
    }

    @Test
    void rejectsSizesThatMeanNothing() {
        assertThatThrownBy(() -> SummarySize.parse("0", 10, GAINS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SummarySize.parse("150%", 10, GAINS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SummarySize.parse("many", 10, GAINS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tinySetsAreNotSaidToFallBelowTheHalf() {
        assertThat(SummarySize.knee(new double[] {1}).reason()).isEqualTo("automatic: the one item is the summary");
        SummarySize.Choice two = SummarySize.knee(new double[] {1, 0.9});
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.reason()).isEqualTo("automatic: the marginal gain stays at or above 0.5 to the last of the 2 items "
                + "(each is more new than represented)");
        assertThat(SummarySize.knee(new double[] {1, 0.2}).reason()).contains("falls below 0.5 after item 1 of 2");
    }
}
