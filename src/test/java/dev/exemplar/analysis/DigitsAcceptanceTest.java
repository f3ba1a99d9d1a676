package dev.exemplar.analysis;

import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Acceptance on digits-dev (1,117 MNIST digits, 86 sets of near-exact copies), with the default settings. */
class DigitsAcceptanceTest {

    @Test
    void plantedCopiesFallInsideOneSmallRedundantGroup() throws IOException {
        DevSets.DevSet set = DevSets.load("digits-dev");
        List<Sample> s = set.samples();
        int n = s.size();
        long t0 = System.nanoTime();
        float[][] x = WaveletRows.of(s.stream().map(Sample::thumbnail).toList());
        WaveletClustering.Options defaults = WaveletClustering.Options.defaults();
        int nc = DistinctImages.count(x, defaults.seed());
        WaveletClustering.Result r = WaveletClustering.run(x, new WaveletClustering.Options(defaults.tau(), nc, defaults.seed()));
        int[] classes = s.stream().mapToInt(x1 -> Integer.parseInt(x1.label())).toArray();
        Redundancy.Groups g = Redundancy.of(r.assignment(), classes, r.representative());
        double seconds = (System.nanoTime() - t0) / 1e9;

        int[] groupOf = new int[n];
        Arrays.fill(groupOf, -1);
        for (int q = 0; q < g.redundant().size(); q++) for (int i : g.redundant().get(q)) groupOf[i] = q;
        int pairs = 0, inOne = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                String a = set.truth().get(s.get(i).name()).dup(), b = set.truth().get(s.get(j).name()).dup();
                if (a.isEmpty() || !a.equals(b)) continue;
                pairs++;
                if (groupOf[i] >= 0 && groupOf[i] == groupOf[j]) inOne++;
            }
        }
        int largest = g.redundant().stream().mapToInt(q -> q.length).max().orElse(0);
        System.out.printf("digits-dev, wavelet: n=%d d=%d non-constant=%d m=%d condition %.3g -> %.3g rank %d n_c=%d; copy pairs in one "
                        + "redundant group %d of %d (%.3f); %d redundant groups (largest %d), %d influential; %.1f s after decoding%n",
                n, r.d(), r.nonConstant(), r.m(), r.conditionBefore(), r.conditionAfter(), r.numericalRank(), r.clusters(), inOne, pairs,
                (double) inOne / pairs, g.redundant().size(), largest, g.influential().size(), seconds);
        assertThat(pairs).isEqualTo(148);
        assertThat((double) inOne / pairs).isGreaterThanOrEqualTo(0.9);
        assertThat(largest).isLessThanOrEqualTo(20);
        assertThat(r.conditionAfter()).isLessThanOrEqualTo(1e5);
    }

    /**
     * The set split in two: 20 copies go to the test set while their originals stay for training (the
     * planted overlap), with 40 digits that have no copy anywhere; the reported share must be 20 of 60
     * within one image.
     */
    @Test
    void trainTestOverlapFindsThePlantedCopies() throws IOException {
        DevSets.DevSet set = DevSets.load("digits-dev");
        Map<String, List<Sample>> byDup = new LinkedHashMap<>();
        List<Sample> alone = new ArrayList<>();
        for (Sample x : set.samples()) {
            String dup = set.truth().get(x.name()).dup();
            if (dup.isEmpty()) alone.add(x);
            else byDup.computeIfAbsent(dup, k -> new ArrayList<>()).add(x);
        }
        List<Sample> test = new ArrayList<>(), train = new ArrayList<>();
        int planted = 0;
        for (List<Sample> copies : byDup.values()) {
            if (planted < 20) { // the last member moves to the test set; the others stay
                test.add(copies.get(copies.size() - 1));
                train.addAll(copies.subList(0, copies.size() - 1));
                planted++;
            } else {
                train.addAll(copies);
            }
        }
        for (int i = 0; i < alone.size(); i++) (i % 20 == 0 && test.size() < 60 ? test : train).add(alone.get(i));
        assertThat(test).hasSize(60);

        TrainTestOverlap.Result r = TrainTestOverlap.run(train, vectors(train), test, vectors(test), 5, Progress.NONE);
        Map<String, String> dupOf = new HashMap<>();
        for (Sample x : set.samples()) dupOf.put(x.name(), set.truth().get(x.name()).dup());
        int right = 0;
        for (TrainTestOverlap.Match m : r.matches()) {
            if (m.nearIdentical() < 0) continue;
            String a = dupOf.get(test.get(m.test()).name());
            if (!a.isEmpty() && a.equals(dupOf.get(train.get(m.nearIdentical()).name()))) right++;
        }
        System.out.printf("digits-dev train/test: %d of %d test digits have a near-identical training digit (planted %d, %d of them "
                + "the planted original); share %.3f%n", r.nearIdentical(), test.size(), planted, right, r.share());
        assertThat(Math.abs(r.nearIdentical() - planted)).isLessThanOrEqualTo(1);
        assertThat(right).isGreaterThanOrEqualTo(planted - 1);
        // the test digit least similar to the training set has no copy there
        assertThat(r.matches().get(r.byIsolation()[0]).nearIdentical()).isNegative();
    }

    private static float[][] vectors(List<Sample> s) {
        return s.stream().map(Sample::descriptor).toArray(float[][]::new);
    }
}
