package dev.exemplar.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WaveletClusteringTest {

    /**
     * 12 independent columns among 30: the others are constant, an exact duplicate or small linear
     * combinations of independent ones, so the RRQR must keep exactly the 12 (either copy of the
     * duplicated one: they tie).
     */
    @Test
    void keepsExactlyTheIndependentColumns() {
        int n = 200, d = 30;
        Random r = new Random(21);
        int[] independent = {0, 2, 3, 5, 8, 11, 13, 17, 19, 23, 26, 29};
        float[][] x = new float[n][d];
        for (float[] row : x) for (int j : independent) row[j] = (float) r.nextGaussian();
        for (float[] row : x) {
            row[1] = 4;                                   // constant
            row[4] = 0;                                   // constant
            row[6] = row[8];                              // duplicate
            row[7] = 0.25f * row[0] - 0.5f * row[13];     // combinations
            row[9] = 0.5f * row[29];
            row[10] = 0.125f * (row[2] + row[3] + row[5]);
            for (int j = 12; j < d; j++) {
                if (Arrays.binarySearch(independent, j) < 0) row[j] = 0.25f * (row[independent[j % 12]] - row[independent[(j + 5) % 12]]);
            }
        }

        WaveletClustering.Result res = WaveletClustering.run(x, new WaveletClustering.Options(1e5, 3, 1));

        assertThat(res.n()).isEqualTo(n);
        assertThat(res.d()).isEqualTo(d);
        assertThat(res.nonConstant()).isEqualTo(d - 2);
        Set<Integer> kept = new HashSet<>();
        for (int c : res.kept()) kept.add(c == 6 ? 8 : c);
        assertThat(kept).containsExactlyInAnyOrder(Arrays.stream(independent).boxed().toArray(Integer[]::new));
        assertThat(res.m()).isEqualTo(independent.length);
        assertThat(res.numericalRank()).isEqualTo(independent.length);
        assertThat(res.conditionAfter()).isBetween(1.0, 10.0);     // nearly orthogonal Gaussian columns
        assertThat(res.conditionBefore()).isGreaterThan(1e5);       // the dropped ones are exact combinations
        assertThat(res.seconds()).containsKeys("constant", "rrqr", "condition", "kmeans");
    }

    @Test
    void wellConditionedColumnsAreAllKeptAndBothConditionNumbersAgree() {
        Random r = new Random(2);
        float[][] x = new float[80][10];
        for (float[] row : x) for (int j = 0; j < 10; j++) row[j] = (float) (r.nextGaussian() * (j + 1));

        WaveletClustering.Result res = WaveletClustering.run(x, new WaveletClustering.Options(1e5, 4, 1));

        assertThat(res.m()).isEqualTo(10);
        assertThat(res.conditionBefore()).isEqualTo(res.conditionAfter());
        assertThat(res.conditionAfter()).isLessThan(100);
    }

    @Test
    void clustersPlantedGroupsOnTheKeptCoefficients() {
        int groups = 9, size = 12;
        float[][] x = Planted.clusters(groups, size, 40, 8, 0.3, 5);

        WaveletClustering.Result res = WaveletClustering.run(x, new WaveletClustering.Options(1e5, groups, 77));

        assertThat(res.clusters()).isEqualTo(groups);
        for (int i = 0; i < x.length; i++) {
            assertThat(res.assignment()[i]).isEqualTo(res.assignment()[Planted.group(i, size) * size]);
        }
        assertThat(IntStream.of(res.assignment()).distinct().count()).isEqualTo(groups);
        for (int c = 0; c < groups; c++) assertThat(res.assignment()[res.representative()[c]]).isEqualTo(c);
    }

    @Test
    void automaticClusterCountFindsThePlantedNumberOfGroups() {
        for (int groups : new int[] {3, 8, 15}) {
            float[][] x = Planted.clusters(groups, 20, 30, 6, 0.4, groups);

            WaveletClustering.Result res = WaveletClustering.run(x, new WaveletClustering.Options(1e5, 0, 12345));

            assertThat(res.clusters()).as("%d groups", groups).isEqualTo(groups);
            Set<Integer> used = new HashSet<>();
            for (int a : res.assignment()) used.add(a);
            assertThat(used).hasSize(groups);
            assertThat(res.seconds()).containsKey("choose_clusters");
        }
    }

    @Test
    void sameSeedSameResult() {
        float[][] x = Planted.clusters(5, 30, 25, 1, 1, 6);
        WaveletClustering.Result a = WaveletClustering.run(x, WaveletClustering.Options.defaults());
        WaveletClustering.Result b = WaveletClustering.run(x, WaveletClustering.Options.defaults());
        assertThat(a.assignment()).containsExactly(b.assignment());
        assertThat(a.kept()).containsExactly(b.kept());
        assertThat(a.clusters()).isEqualTo(b.clusters());
    }

    @Test
    void refusesMoreClustersThanItems() {
        float[][] x = Planted.clusters(2, 3, 4, 1, 1, 1);
        assertThatThrownBy(() -> WaveletClustering.run(x, new WaveletClustering.Options(1e5, 7, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
