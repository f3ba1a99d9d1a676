package dev.exemplar.analysis;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.Kernels;
import dev.exemplar.summary.CopyCheck;
import dev.exemplar.summary.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How much of a test set is already in the training set (wavelet paper, section 5.2.2): for each
 * test image its most similar training images (cosine of the feature vectors, exact search), whether
 * one of them is a near-identical copy (the engine's near-duplicate test: aligned SSIM and colour,
 * on the closest candidates), the share of test images that have one, and the test images least
 * similar to the whole training set, the likely hardest.
 */
final class TrainTestOverlap {
    /** Candidates checked with the near-duplicate test, most similar first. */
    static final int CHECKED = 5;

    record Neighbour(int train, float similarity) { }

    /**
     * @param nearest       the most similar training items, most similar first
     * @param nearIdentical the training item that is a near-identical copy, or -1
     * @param ssim          the aligned SSIM with that copy (NaN without one)
     */
    record Match(int test, List<Neighbour> nearest, int nearIdentical, double ssim) { }

    /** Per test item its match; how many have a near-identical training item; test items by isolation, most isolated first. */
    record Result(List<Match> matches, int nearIdentical, int[] byIsolation) {
        double share() {
            return matches.isEmpty() ? 0 : (double) nearIdentical / matches.size();
        }
    }

    private TrainTestOverlap() { }

    /**
     * @param trainVectors unit feature vectors of the training items
     * @param testVectors  unit feature vectors of the test items, of the same kind
     * @param nearest      training items listed per test item
     */
    static Result run(List<Sample> train, float[][] trainVectors, List<Sample> test, float[][] testVectors,
                             int nearest, Progress progress) {
        return run(train, trainVectors, test, testVectors, 0, nearest, progress);
    }

    /** As {@link #run(List, float[][], List, float[][], int, Progress)}, the vectors descriptors {@link Embeddings#join joined} with embeddings of this length. */
    static Result run(List<Sample> train, float[][] trainVectors, List<Sample> test, float[][] testVectors, int embedded,
                      int nearest, Progress progress) {
        int k = Math.max(nearest, CHECKED);
        progress.phase("train/test", test.size());
        Match[] matches = new Match[test.size()];
        IntStream.range(0, test.size()).parallel().forEach(t -> {
            Neighbour[] top = top(testVectors[t], trainVectors, embedded, k);
            int copy = -1;
            double ssim = Double.NaN;
            for (int c = 0; c < Math.min(CHECKED, top.length) && copy < 0; c++) {
                if (top[c].similarity() < CopyCheck.MIN_COSINE) break;
                CopyCheck.Verdict v = CopyCheck.of(test.get(t).side(), train.get(top[c].train()).side());
                if (v.copy()) {
                    copy = top[c].train();
                    ssim = v.ssim();
                }
            }
            matches[t] = new Match(t, List.of(Arrays.copyOf(top, Math.min(nearest, top.length))), copy, ssim);
            progress.advance(1);
        });
        int found = (int) Arrays.stream(matches).filter(m -> m.nearIdentical() >= 0).count();
        Integer[] order = new Integer[matches.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> best(matches[i])).thenComparingInt(i -> i));
        return new Result(List.of(matches), found, Arrays.stream(order).mapToInt(Integer::intValue).toArray());
    }

    /** The similarity of a test item's most similar training item. */
    static float best(Match m) {
        return m.nearest().isEmpty() ? Float.NEGATIVE_INFINITY : m.nearest().get(0).similarity();
    }

    /** The k rows of {@code x} most similar to v, most similar first: by dot product, corrected for rows joined with embeddings of this length. */
    static Neighbour[] top(float[] v, float[][] x, int embedded, int k) {
        int m = Math.min(k, x.length);
        boolean vOnly = embedded > 0 && Embeddings.descriptorOnly(v, embedded);
        List<Neighbour> best = new ArrayList<>(m + 1);
        float floor = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < x.length; j++) {
            float s = Kernels.dot(v, x[j]);
            if (embedded > 0) s = (float) Embeddings.similarity(s, vOnly, Embeddings.descriptorOnly(x[j], embedded));
            if (best.size() == m && s <= floor) continue;
            int at = best.size();
            while (at > 0 && best.get(at - 1).similarity() < s) at--;
            best.add(at, new Neighbour(j, s));
            if (best.size() > m) best.remove(m);
            if (best.size() == m) floor = best.get(m - 1).similarity();
        }
        return best.toArray(new Neighbour[0]);
    }
}
