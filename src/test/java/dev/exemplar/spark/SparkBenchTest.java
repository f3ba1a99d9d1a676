package dev.exemplar.spark;

import dev.exemplar.summary.GroupCoverage;
import dev.exemplar.summary.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code ./exemplar bench spark} in local mode on 2,000 generated rows, of which it takes the first 1,500: its figures
 * name what was run, and its coverage at G is the job's, scored on those rows as {@code bench order} scores the single
 * machine's order.
 */
class SparkBenchTest {
    @Test
    void reportsTheJobsTimeAndCoverageOnTheFirstRows(@TempDir Path tmp) throws Exception {
        GeneratedMatrix m = GeneratedMatrix.write(tmp, 2000, 32, 20);
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        SparkBench.Options o = SparkBench.Options.parse("--features", m.file().toString(), "--dim", "32", "--rows", "1500", "--partitions", "3");

        Map<String, Object> f = SparkBench.run(o, Files.createDirectories(tmp.resolve("bench")), new PrintStream(said, true));

        System.out.print(said);
        System.out.println(f);
        assertThat(said.toString()).contains("ordering 1,500 rows of 32 values on local[2] in 3 partitions", "1,500 items ordered in");
        assertThat(f).containsEntry("benchmark", "spark").containsEntry("n", 1500).containsEntry("d", 32).containsEntry("partitions", 3)
                .containsEntry("master", "local[2]").containsEntry("workers", 0).doesNotContainKey("cluster_start_s")
                .containsKeys("seconds", "summary_size", "driver_peak_heap_mb");
        GroupCoverage truth = GroupCoverage.read(m.truth(), 1500);
        float[][] first = Arrays.copyOf(m.read(), 1500);
        double single = truth.atG(Pipeline.order(Pipeline.neighbours(first)).order());
        assertThat(f).containsEntry("groups", truth.groups());
        assertThat((double) f.get("coverage_at_G")).isCloseTo(single, within(0.02));
    }

    @Test
    void badOptionsAreRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path rows = Files.write(tmp.resolve("rows.f32"), new byte[4 * 8]);
        assertThatThrownBy(() -> SparkBench.Options.parse("--features", rows.toString(), "--dim", "4", "--workers", "two"))
                .hasMessage("--workers must be a whole number of at least 1, not 'two'");
        assertThatThrownBy(() -> SparkBench.Options.parse("--features", tmp.resolve("none.f32").toString(), "--dim", "4"))
                .hasMessageStartingWith("no such file: ");
        SparkBench.Options tooMany = SparkBench.Options.parse("--features", rows.toString(), "--dim", "4", "--rows", "3");
        assertThatThrownBy(() -> SparkBench.run(tooMany, tmp, System.out)).hasMessage("--rows 3: the file has 2 rows");
    }
}
