package dev.exemplar.analysis;

import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SpectralClusteringTest {

    /** A noisy block-diagonal similarity: within a block 0.7 to 1, across blocks -0.1 to 0.1, items shuffled. */
    static SimilarityMatrix blocks(int[] sizes, long seed, int[] blockOf) {
        int n = blockOf.length;
        Random rnd = new Random(seed);
        int at = 0;
        for (int b = 0; b < sizes.length; b++) for (int t = 0; t < sizes[b]; t++) blockOf[at++] = b;
        for (int i = n - 1; i > 0; i--) { // shuffle so blocks are not contiguous
            int j = rnd.nextInt(i + 1), t = blockOf[i];
            blockOf[i] = blockOf[j];
            blockOf[j] = t;
        }
        float[] s = new float[n * n];
        for (int i = 0; i < n; i++) {
            s[i * n + i] = 1;
            for (int j = i + 1; j < n; j++) {
                float v = blockOf[i] == blockOf[j] ? 0.7f + 0.3f * rnd.nextFloat() : -0.1f + 0.2f * rnd.nextFloat();
                s[i * n + j] = v;
                s[j * n + i] = v;
            }
        }
        return new SimilarityMatrix(n, n, s);
    }

    @Test
    void eigengapFindsThePlantedNumberOfBlocks() {
        int[] sizes = {12, 5, 30, 8, 2, 17, 9};
        int[] blockOf = new int[83];
        SimilarityMatrix s = blocks(sizes, 1, blockOf);
        SpectralClustering.Result r = SpectralClustering.run(s, Double.NaN, 0, 0.4, 7, Progress.NONE);
        assertThat(r.clusters()).isEqualTo(sizes.length);
        assertThat(r.choice().gap()).isGreaterThan(0.4);
        // the first seven eigenvalues are near 0, the eighth is not
        assertThat(r.eigenvalues()[sizes.length - 1]).isLessThan(1e-9);
        // the default link level stands clear of the background (at most 0.1) and below the blocks (at least 0.7)
        assertThat(r.link()).isBetween(0.1, 0.7);
        assertThat(r.eigenvalues()[sizes.length]).isGreaterThan(0.6);
    }

    @Test
    void spectralClusteringRecoversTheBlocks() {
        int[] sizes = {12, 5, 30, 8, 2, 17, 9};
        int[] blockOf = new int[83];
        SimilarityMatrix s = blocks(sizes, 2, blockOf);
        SpectralClustering.Result r = SpectralClustering.run(s, Double.NaN, 0, 0.4, 7, Progress.NONE);
        // the clustering equals the blocks up to naming: a one-to-one map between cluster and block ids
        Map<Integer, Integer> blockOfCluster = new HashMap<>();
        for (int i = 0; i < blockOf.length; i++) {
            Integer prev = blockOfCluster.putIfAbsent(r.assignment()[i], blockOf[i]);
            assertThat(prev == null || prev == blockOf[i]).as("item %d", i).isTrue();
        }
        assertThat(new HashSet<>(blockOfCluster.values())).hasSize(sizes.length);
        for (int c = 0; c < r.clusters(); c++) assertThat(r.assignment()[r.representative()[c]]).isEqualTo(c);
    }

    @Test
    void blocksJoinedByAWeakLinkAreSplitByTheirEigenvectors() {
        int[] sizes = {15, 20, 10, 6};
        int[] blockOf = new int[51];
        SimilarityMatrix s = blocks(sizes, 3, blockOf);
        // one pair across the first two blocks is similar enough to be linked: they become one component
        int a = indexOf(blockOf, 0), b = indexOf(blockOf, 1);
        s.values()[a * 51 + b] = s.values()[b * 51 + a] = 0.75f;
        SpectralClustering.Result r = SpectralClustering.run(s, 0.5, 0, 0.4, 11, Progress.NONE);
        assertThat(r.components()).isEqualTo(3);
        assertThat(r.clusters()).isEqualTo(4);
        assertThat(r.eigenvalues()[3]).isBetween(1e-6, 0.1); // the weak link: small, but not zero
        for (int i = 0; i < 51; i++) {
            for (int j = 0; j < 51; j++) {
                assertThat(r.assignment()[i] == r.assignment()[j]).as("%d %d", i, j).isEqualTo(blockOf[i] == blockOf[j]);
            }
        }
    }

    @Test
    void fewerClustersThanComponentsIsRefused() {
        int[] blockOf = new int[20];
        SimilarityMatrix s = blocks(new int[] {10, 10}, 4, blockOf);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpectralClustering.run(s, 0.5, 1, 0.4, 1, Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than the 2 groups");
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalArgumentException();
    }

    @Test
    void eigengapRuleWithoutALargeGapTakesTheLargest() {
        Eigengap.Choice c = Eigengap.choose(new double[] {0, 0.05, 0.1, 0.3, 0.35}, 0.4);
        assertThat(c.clusters()).isEqualTo(3);
        assertThat(c.reason()).contains("no eigengap is larger");
        assertThat(Eigengap.choose(new double[] {0, 0.01, 0.02, 0.9, 1.0}, 0.4).clusters()).isEqualTo(3);
    }
}
