package dev.exemplar.analysis;

import dev.exemplar.features.Kernels;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Acceptance on classes-dev (847 drawings in 42 categories): the semantic reduction to 90% with the engine's own features. */
class ClassesSemanticTest {

    @Test
    void keepsNinetyPercentAndNoKeptPairOfAClassIsCloserThanTheThreshold() throws IOException {
        List<Sample> s = DevSets.load("classes-dev").samples();
        int n = s.size();
        float[][] x = s.stream().map(Sample::descriptor).toArray(float[][]::new);
        String[] labels = s.stream().map(Sample::label).toArray(String[]::new);
        int classes = (int) java.util.Arrays.stream(labels).distinct().count();
        long t0 = System.nanoTime();
        SemanticReduction.Result r = SemanticReduction.run(x, labels, SemanticReduction.Options.keep(0.9), Progress.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;

        int target = (int) Math.round(0.9 * n);
        System.out.printf("classes-dev, semantic 90%%: %d of %d kept (target %d), %d classes, threshold %.4f, %d groups, %.1f s%n",
                r.kept().length, n, target, classes, r.threshold(), r.groups().size(), seconds);
        assertThat(Math.abs(r.kept().length - target)).isLessThanOrEqualTo(classes);
        double closest = Double.POSITIVE_INFINITY;
        for (int a : r.kept()) {
            for (int b : r.kept()) {
                if (a < b && labels[a].equals(labels[b])) closest = Math.min(closest, 1 - Kernels.dotInDouble(x[a], x[b]));
            }
        }
        assertThat(closest).as("closest kept pair of one class").isGreaterThan(r.threshold());
        for (int[] g : r.groups()) assertThat(java.util.Arrays.stream(g).mapToObj(i -> labels[i]).distinct()).hasSize(1);
    }
}
