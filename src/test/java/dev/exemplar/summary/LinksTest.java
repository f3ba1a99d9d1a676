package dev.exemplar.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinksTest {

    @Test
    void searchedCandidatesAreDelegatesAndStartWithTheNearestDelegate() {
        int n = 30_000, summary = 3_000; // 8e7 pairs: above the brute-force limit
        assertThat((double) summary * (n - summary)).isGreaterThan(Links.BRUTE_FORCE_MAX);
        float[][] x = NeighbourSearchTest.clustered(n, 64, 300, 0.8, 21);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(22);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Set<Integer> delegates = new HashSet<>();
        for (int r = 0; r < summary; r++) delegates.add(order[r]);
        NeighbourGraph graph = NeighbourGraph.build(x, 20);
        Links.Candidates candidates = Links.candidates(x, order, summary, graph);
        int agree = 0;
        for (int r = summary; r < n; r++) {
            int c = order[r];
            int[] near = candidates.of(c);
            assertThat(near).isNotEmpty().hasSizeLessThanOrEqualTo(Links.CANDIDATES).doesNotHaveDuplicates();
            for (int d : near) assertThat(delegates).contains(d);
            int exact = -1;
            float bestSim = Float.NEGATIVE_INFINITY;
            for (int q = 0; q < summary; q++) {
                float s = NeighbourSearch.dot(x[c], x[order[q]]);
                if (s > bestSim) {
                    bestSim = s;
                    exact = order[q];
                }
            }
            if (near[0] == exact) agree++;
        }
        assertThat(agree / (double) (n - summary)).isGreaterThanOrEqualTo(0.95);
    }
}
