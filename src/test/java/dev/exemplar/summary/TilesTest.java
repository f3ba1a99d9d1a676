package dev.exemplar.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exemplar.features.RandomVectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TilesTest {
    private static float[] random(int n, Random rnd) {
        return RandomVectors.gaussian(n, rnd);
    }

    private static double exactDot(float[] a, int ao, float[] b, int bo, int stride, int d) {
        return RandomVectors.exactDot(a, ao, b, bo, stride, d);
    }

    /** Rows compared a tile at a time, with fewer candidates than a tile's padding and more than one block. */
    @Test
    void tilesHandEverySinkEveryPairOnce() {
        Random rnd = new Random(3);
        float[][] x = new float[1_200][];
        for (int i = 0; i < x.length; i++) x[i] = random(40, rnd);
        int[] q = java.util.stream.IntStream.range(0, 70).toArray(), c = java.util.stream.IntStream.range(100, 1_200).toArray();
        int[][] seen = new int[x.length][x.length];
        Tiles.scratch().compare(Rows.of(x), q, 0, q.length, Rows.of(x), c, 0, c.length, (query, cand, c0, sims, from, count) -> {
            for (int t = 0; t < count; t++) {
                seen[query][cand[c0 + t]]++;
                assertThat((double) sims[from + t]).isCloseTo(exactDot(x[query], 0, x[cand[c0 + t]], 0, 1, 40), within(1e-4));
            }
        });
        for (int i : q) for (int j : c) assertThat(seen[i][j]).isEqualTo(1);
    }
}
