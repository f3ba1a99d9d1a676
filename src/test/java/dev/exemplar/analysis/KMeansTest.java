package dev.exemplar.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KMeansTest {

    @Test
    void recoversWellSeparatedPlantedClusters() {
        int groups = 7, size = 30;
        float[][] x = Planted.clusters(groups, size, 24, 10, 0.5, 3);

        KMeans.Result r = KMeans.cluster(x, groups, 42, 100);

        assertThat(r.converged()).isTrue();
        // one cluster per planted group, and no cluster shared by two groups
        Map<Integer, Integer> clusterOfGroup = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            Integer c = clusterOfGroup.putIfAbsent(Planted.group(i, size), r.assignment()[i]);
            if (c != null) assertThat(r.assignment()[i]).as("item %d", i).isEqualTo(c);
        }
        assertThat(new HashSet<>(clusterOfGroup.values())).hasSize(groups);
        // each representative is the member nearest its cluster's centre
        for (int c = 0; c < groups; c++) {
            int rep = r.representative()[c];
            assertThat(r.assignment()[rep]).isEqualTo(c);
            for (int i = 0; i < x.length; i++) {
                if (r.assignment()[i] == c) {
                    assertThat(KMeans.distance2(x[i], r.centres()[c])).isGreaterThanOrEqualTo(KMeans.distance2(x[rep], r.centres()[c]));
                }
            }
        }
    }

    @Test
    void seedingIsDeterministicForASeedAndItsPotentialFalls() {
        float[][] x = Planted.clusters(5, 40, 10, 3, 1, 8);

        KMeans.Seeding a = KMeans.seed(x, 20, 7), b = KMeans.seed(x, 20, 7), c = KMeans.seed(x, 20, 8);

        assertThat(a.seeds()).containsExactly(b.seeds());
        assertThat(a.potential()).containsExactly(b.potential());
        assertThat(a.seeds()).doesNotHaveDuplicates();
        assertThat(c.seeds()).isNotEqualTo(a.seeds());
        for (int t = 1; t < a.potential().length; t++) assertThat(a.potential()[t]).isLessThanOrEqualTo(a.potential()[t - 1]);
        // the potential is the k-means cost of the seeds as centres
        double cost = 0;
        for (float[] row : x) {
            double best = Double.POSITIVE_INFINITY;
            for (int s : a.seeds()) best = Math.min(best, KMeans.distance2(row, x[s]));
            cost += best;
        }
        assertThat(a.potential()[19]).isCloseTo(cost, org.assertj.core.api.Assertions.within(cost * 1e-9));
    }

    @Test
    void clusteringIsDeterministicForASeed() {
        float[][] x = Planted.clusters(6, 50, 16, 2, 1, 4);
        KMeans.Result a = KMeans.cluster(x, 25, 99, 300), b = KMeans.cluster(x, 25, 99, 300);
        assertThat(a.assignment()).containsExactly(b.assignment());
        assertThat(a.representative()).containsExactly(b.representative());
    }

    /** The bounds only skip work: from the same seeds, the result is plain Lloyd's. */
    @Test
    void boundsGiveTheSameClustersAsPlainLloyd() {
        Random rnd = new Random(12);
        float[][] x = new float[400][20];
        for (float[] row : x) for (int j = 0; j < row.length; j++) row[j] = (float) rnd.nextGaussian();
        int k = 15;
        int[] seeds = KMeans.seed(x, k, 5).seeds();

        KMeans.Result fast = KMeans.cluster(x, k, 5, 500);
        int[] plain = plainLloyd(x, seeds);

        assertThat(fast.converged()).isTrue();
        assertThat(fast.assignment()).containsExactly(plain);
        assertThat(KMeans.cluster(x, seeds, 500).assignment()).containsExactly(plain);
    }

    private static int[] plainLloyd(float[][] x, int[] seeds) {
        int k = seeds.length, m = x[0].length;
        double[][] centres = new double[k][];
        for (int c = 0; c < k; c++) centres[c] = toDouble(x[seeds[c]]);
        int[] assignment = new int[x.length];
        Arrays.fill(assignment, -1);
        for (int iteration = 0; iteration < 1000; iteration++) {
            boolean changed = false;
            for (int i = 0; i < x.length; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (d2(x[i], centres[c]) < d2(x[i], centres[best])) best = c;
                changed |= best != assignment[i];
                assignment[i] = best;
            }
            if (!changed) break;
            for (int c = 0; c < k; c++) {
                double[] sum = new double[m];
                int count = 0;
                for (int i = 0; i < x.length; i++) {
                    if (assignment[i] != c) continue;
                    count++;
                    for (int j = 0; j < m; j++) sum[j] += x[i][j];
                }
                if (count == 0) continue;
                for (int j = 0; j < m; j++) sum[j] /= count;
                centres[c] = sum;
            }
        }
        return assignment;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static double d2(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    @Test
    void oneClusterAndAsManyClustersAsItems() {
        float[][] x = Planted.clusters(3, 4, 5, 5, 1, 2);
        KMeans.Result one = KMeans.cluster(x, 1, 1, 50);
        assertThat(Arrays.stream(one.assignment()).distinct().count()).isEqualTo(1);
        KMeans.Result all = KMeans.cluster(x, x.length, 1, 50);
        Set<Integer> distinct = new HashSet<>();
        for (int a : all.assignment()) distinct.add(a);
        assertThat(distinct).hasSize(x.length);
    }
}
