package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FacilityLocationTest {
    /** Planted clusters of 1 to 8 members around random unit centres, shuffled. */
    record Planted(float[][] x, int[] cluster, int clusters) { }

    static Planted planted(int clusters, double noise, long seed) {
        Random r = new Random(seed);
        int d = 48;
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            float[] centre = unit(r, d, null, 0);
            int members = 1 + r.nextInt(8);
            for (int m = 0; m < members; m++) {
                rows.add(unit(r, d, centre, noise));
                labels.add(c);
            }
        }
        int n = rows.size();
        int[] perm = new Random(seed + 1).ints(0, Integer.MAX_VALUE).limit(n).toArray();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> Integer.compare(perm[a], perm[b]));
        float[][] x = new float[n][];
        int[] cluster = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = rows.get(idx[i]);
            cluster[i] = labels.get(idx[i]);
        }
        return new Planted(x, cluster, clusters);
    }

    private static float[] unit(Random r, int d, float[] around, double noise) {
        float[] v = new float[d];
        double norm = 0;
        for (int t = 0; t < d; t++) {
            v[t] = (float) (around == null ? r.nextGaussian() : around[t] + noise * r.nextGaussian() / Math.sqrt(d));
            norm += v[t] * v[t];
        }
        for (int t = 0; t < d; t++) v[t] /= (float) Math.sqrt(norm);
        return v;
    }

    static FacilityLocation.Ordering order(float[][] x) {
        NeighbourGraph graph = NeighbourGraph.exact(x, Pipeline.NEIGHBOURS);
        return FacilityLocation.order(SimilarityGraph.locallyScaled(graph, Pipeline.SCALE_NEIGHBOUR));
    }

    @Test
    void coversEveryPlantedClusterBeforeRepeatingAny() {
        Planted p = planted(60, 0.3, 7);
        int[] order = order(p.x()).order();

        Set<Integer> seen = new HashSet<>();
        for (int r = 0; r < p.clusters(); r++) seen.add(p.cluster()[order[r]]);
        assertThat(seen).as("clusters among the first %d items", p.clusters()).hasSize(p.clusters());
    }

    @Test
    void orderHoldsEveryItemOnceAndGainsNeverGrow() {
        Planted p = planted(40, 0.3, 11);
        FacilityLocation.Ordering o = order(p.x());

        assertThat(o.order()).hasSize(p.x().length).doesNotHaveDuplicates();
        for (int r = 1; r < o.gains().length; r++) {
            assertThat(o.gains()[r]).as("gain at rank %d", r).isLessThanOrEqualTo(o.gains()[r - 1] + 1e-9);
        }
        // the last items are later members of tight clusters: they add little
        assertThat(o.gains()[p.x().length - 1]).isLessThan(0.5);
    }

    @Test
    void largerClustersComeFirst() {
        Planted p = planted(30, 0.3, 3);
        int[] order = order(p.x()).order();
        int[] size = new int[p.clusters()];
        for (int c : p.cluster()) size[c]++;

        double firstHalf = 0, secondHalf = 0;
        int half = p.clusters() / 2;
        for (int r = 0; r < half; r++) firstHalf += size[p.cluster()[order[r]]];
        for (int r = half; r < p.clusters(); r++) secondHalf += size[p.cluster()[order[r]]];
        assertThat(firstHalf).as("a representative item stands for many").isGreaterThan(secondHalf);
    }

    @Test
    void keptItemsStayInTheirOrderAndANewClusterGoesAsEarlyAsTheGreedyWouldTakeIt() {
        Planted p = planted(40, 0.3, 13);
        SimilarityGraph g = SimilarityGraph.locallyScaled(NeighbourGraph.exact(p.x(), Pipeline.NEIGHBOURS), Pipeline.SCALE_NEIGHBOUR);
        int[] plain = FacilityLocation.order(g).order();
        assertThat(FacilityLocation.order(g, plain).order()).as("everything kept: the same order").containsExactly(plain);

        // an earlier order without one cluster's members: they come new, the rest keep their order
        int left = p.cluster()[plain[0]];
        int[] kept = java.util.Arrays.stream(plain).filter(i -> p.cluster()[i] != left).toArray();
        int[] extended = FacilityLocation.order(g, kept).order();
        assertThat(java.util.Arrays.stream(extended).filter(i -> p.cluster()[i] != left).toArray()).containsExactly(kept);
        int firstNew = 0;
        while (p.cluster()[extended[firstNew]] != left) firstNew++;
        assertThat(firstNew).as("the best cluster of all, new, goes near the front").isLessThan(3);
    }

    @Test
    void anItemStandingForManyGoesBeforeOneStandingForFew() {
        Planted p = planted(8, 0.3, 17);
        SimilarityGraph g = SimilarityGraph.locallyScaled(NeighbourGraph.exact(p.x(), Pipeline.NEIGHBOURS), Pipeline.SCALE_NEIGHBOUR);
        int[] plain = FacilityLocation.order(g).order();
        double[] ones = new double[p.x().length];
        java.util.Arrays.fill(ones, 1);
        assertThat(FacilityLocation.order(g, new int[0], ones).order()).as("mass 1 each: the plain order").containsExactly(plain);

        // the plain order's last item, standing for a hundred, comes first
        double[] mass = ones.clone();
        int last = plain[plain.length - 1];
        mass[last] = 100;
        FacilityLocation.Ordering weighted = FacilityLocation.order(g, new int[0], mass);
        assertThat(weighted.order()[0]).isEqualTo(last);
        assertThat(weighted.gains()[0]).as("its gain counts what it stands for").isGreaterThanOrEqualTo(100);
    }

    @Test
    void aPairJudgedElsewhereReplacesTheWeakestNeighbourOrItsOwnSimilarity() {
        Planted p = planted(10, 0.3, 19);
        NeighbourGraph g = NeighbourGraph.exact(p.x(), 3);
        int listed = g.neighbours(0)[1], unlisted = -1;
        for (int j = 1; j < p.x().length && unlisted < 0; j++) if (!contains(g.neighbours(0), j)) unlisted = j;
        g.judged(0, unlisted, 0.999f);
        g.judged(0, listed, 0.01f);
        g.resort();

        assertThat(g.neighbours(0)[0]).as("judged one scene: now the nearest").isEqualTo(unlisted);
        assertThat(g.neighbours(0)).as("judged look-alikes: now the least similar").endsWith(listed);
        assertThat(g.similarities(0)[2]).isEqualTo(0.01f);
    }

    private static boolean contains(int[] a, int v) {
        return java.util.Arrays.stream(a).anyMatch(x -> x == v);
    }

    @Test
    void handlesOneAndTwoItems() {
        assertThat(order(new float[][] {{1f, 0f}}).order()).containsExactly(0);
        assertThat(order(new float[][] {{1f, 0f}, {0f, 1f}}).order()).containsExactlyInAnyOrder(0, 1);
    }
}
