package dev.exemplar.analysis;

import dev.exemplar.features.Ssim;
import dev.exemplar.summary.Progress;

import java.util.List;
import java.util.stream.IntStream;

/** A dense rows x cols matrix of similarities, row-major floats, such as the SSIM of all pairs. */
record SimilarityMatrix(int rows, int cols, float[] values) {

    SimilarityMatrix {
        if (values.length != (long) rows * cols) throw new IllegalArgumentException("expected " + rows + " x " + cols + " values");
    }

    float get(int i, int j) {
        return values[i * cols + j];
    }

    /**
     * SSIM between all pairs, 1 on the diagonal, in parallel. Rows are dealt out in pairs (i, n-1-i)
     * so every task computes about the same number of the upper triangle's entries.
     */
    static SimilarityMatrix ssim(List<Ssim.Prepared> images, Progress progress) {
        int n = images.size();
        float[] s = new float[n * n];
        progress.phase("ssim", (long) n * (n - 1) / 2);
        IntStream.range(0, (n + 1) / 2).parallel().forEach(p -> {
            for (int i : p == n - 1 - p ? new int[] {p} : new int[] {p, n - 1 - p}) {
                s[i * n + i] = 1;
                for (int j = i + 1; j < n; j++) {
                    float v = (float) Ssim.ssim(images.get(i), images.get(j));
                    s[i * n + j] = v;
                    s[j * n + i] = v;
                }
                progress.advance(n - 1 - i);
            }
        });
        return new SimilarityMatrix(n, n, s);
    }
}
