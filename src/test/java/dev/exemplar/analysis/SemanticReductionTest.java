package dev.exemplar.analysis;

import dev.exemplar.features.Kernels;
import dev.exemplar.features.Vectors;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemanticReductionTest {

    private static float[] unit(Random rnd, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) v[i] = (float) rnd.nextGaussian();
        Vectors.normalise(v);
        return v;
    }

    private static float[] near(float[] c, Random rnd, double spread) {
        float[] v = c.clone();
        for (int i = 0; i < v.length; i++) v[i] += (float) (spread * rnd.nextGaussian());
        Vectors.normalise(v);
        return v;
    }

    /** Tight planted clusters (sizes 1 to 5) in three classes; the third class repeats the first's centres. */
    private record Planted(float[][] x, String[] labels, int[] cluster, int clusters) { }

    private static Planted planted(long seed) {
        Random rnd = new Random(seed);
        List<float[]> x = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> cluster = new ArrayList<>();
        List<float[]> firstCentres = new ArrayList<>();
        int c = 0;
        for (String label : new String[] {"cat", "dog", "cow"}) {
            for (int k = 0; k < 15; k++, c++) {
                // the same picture content in two classes must not be merged: clustering is per class
                float[] centre = label.equals("cow") ? firstCentres.get(k) : unit(rnd, 48);
                if (label.equals("cat")) firstCentres.add(centre);
                int size = 1 + rnd.nextInt(5);
                for (int t = 0; t < size; t++) {
                    x.add(near(centre, rnd, 0.005));
                    labels.add(label);
                    cluster.add(c);
                }
            }
        }
        return new Planted(x.toArray(new float[0][]), labels.toArray(new String[0]), cluster.stream().mapToInt(Integer::intValue).toArray(), c);
    }

    @Test
    void keepCollapsesEachPlantedClusterToOneItem() {
        for (SemanticReduction.Linkage linkage : SemanticReduction.Linkage.values()) {
            Planted p = planted(3);
            double share = (double) p.clusters() / p.x().length;
            SemanticReduction.Result r = SemanticReduction.run(p.x(), p.labels(),
                    new SemanticReduction.Options(share, Double.NaN, linkage, 5_000, false, 1), Progress.NONE);
            assertThat(r.kept()).as("kept, %s linkage", linkage).hasSize(p.clusters());
            Set<Integer> seen = new HashSet<>();
            for (int i : r.kept()) assertThat(seen.add(p.cluster()[i])).as("one kept item per planted cluster").isTrue();
            // the groups are exactly the planted clusters of two or more items
            int multi = (int) Arrays.stream(p.cluster()).boxed().collect(java.util.stream.Collectors.groupingBy(i -> i,
                    java.util.stream.Collectors.counting())).values().stream().filter(v -> v > 1).count();
            assertThat(r.groups()).hasSize(multi);
            for (int g = 0; g < r.groups().size(); g++) {
                int[] group = r.groups().get(g);
                assertThat(Arrays.stream(group).map(i -> p.cluster()[i]).distinct().count()).isEqualTo(1);
                assertThat(group).contains(r.groupKept()[g]);
            }
        }
    }

    @Test
    void noTwoKeptItemsOfAClassAreCloserThanTheThreshold() {
        Random rnd = new Random(5);
        int n = 400;
        float[][] x = new float[n][];
        String[] labels = new String[n];
        float[][] centres = new float[30][];
        for (int c = 0; c < 30; c++) centres[c] = unit(rnd, 16);
        for (int i = 0; i < n; i++) {
            x[i] = near(centres[rnd.nextInt(30)], rnd, 0.05 + 0.2 * rnd.nextDouble()); // loose, overlapping clusters
            labels[i] = "c" + rnd.nextInt(3);
        }
        for (SemanticReduction.Linkage linkage : SemanticReduction.Linkage.values()) {
            SemanticReduction.Result r = SemanticReduction.run(x, labels,
                    new SemanticReduction.Options(0.6, Double.NaN, linkage, 5_000, false, 1), Progress.NONE);
            assertThat(Math.abs(r.kept().length - 240)).as("kept near 60%%, %s", linkage).isLessThanOrEqualTo(3);
            for (int a : r.kept()) {
                for (int b : r.kept()) {
                    if (a < b && labels[a].equals(labels[b])) {
                        assertThat(1 - Kernels.dotInDouble(x[a], x[b])).as("%d %d", a, b).isGreaterThan(r.threshold());
                    }
                }
            }
        }
    }

    @Test
    void aClassTooLargeForExactClusteringIsRefusedOrSplit() {
        Planted p = planted(4);
        SemanticReduction.Options exact = new SemanticReduction.Options(0.9, Double.NaN, SemanticReduction.Linkage.COMPLETE, 20, false, 1);
        assertThatThrownBy(() -> SemanticReduction.run(p.x(), p.labels(), exact, Progress.NONE))
                .isInstanceOf(Refusal.class).hasMessageContaining("class 'cat' has").hasMessageContaining("more than the 20");
        SemanticReduction.Options approximate = new SemanticReduction.Options(0.9, Double.NaN, SemanticReduction.Linkage.COMPLETE, 20, true, 1);
        SemanticReduction.Result r = SemanticReduction.run(p.x(), p.labels(), approximate, Progress.NONE);
        assertThat(r.split()).containsExactly("cat", "dog", "cow");
        assertThat(Math.abs(r.kept().length - Math.round(0.9 * p.x().length))).isLessThanOrEqualTo(3);
    }

    @Test
    void chainClusteringMatchesTheClosestPairFirstAlgorithm() {
        Random rnd = new Random(9);
        float[][] x = new float[60][];
        for (int i = 0; i < x.length; i++) x[i] = unit(rnd, 6);
        for (Agglomerative.Linkage linkage : Agglomerative.Linkage.values()) {
            float[] chain = heights(Agglomerative.merges(x, linkage));
            float[] naive = naiveHeights(x, linkage);
            assertThat(chain).hasSize(naive.length);
            for (int i = 0; i < naive.length; i++) assertThat(chain[i]).as("%s merge %d", linkage, i).isCloseTo(naive[i], org.assertj.core.api.Assertions.within(1e-5f));
        }
    }

    private static float[] heights(Agglomerative.Merge[] merges) {
        float[] h = new float[merges.length];
        for (int i = 0; i < h.length; i++) h[i] = merges[i].height();
        Arrays.sort(h);
        return h;
    }

    /** The textbook algorithm: merge the closest pair of clusters, recompute, repeat (O(m^3)). */
    private static float[] naiveHeights(float[][] x, Agglomerative.Linkage linkage) {
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < x.length; i++) clusters.add(new ArrayList<>(List.of(i)));
        float[] out = new float[x.length - 1];
        for (int step = 0; step < out.length; step++) {
            double best = Double.POSITIVE_INFINITY;
            int ba = -1, bb = -1;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double d = linkage == Agglomerative.Linkage.COMPLETE ? Double.NEGATIVE_INFINITY : 0;
                    for (int i : clusters.get(a)) {
                        for (int j : clusters.get(b)) {
                            double v = 1 - Kernels.dotInDouble(x[i], x[j]);
                            d = linkage == Agglomerative.Linkage.COMPLETE ? Math.max(d, v) : d + v;
                        }
                    }
                    if (linkage == Agglomerative.Linkage.AVERAGE) d /= clusters.get(a).size() * clusters.get(b).size();
                    if (d < best) {
                        best = d;
                        ba = a;
                        bb = b;
                    }
                }
            }
            out[step] = (float) best;
            clusters.get(ba).addAll(clusters.remove(bb));
        }
        Arrays.sort(out);
        return out;
    }
}
