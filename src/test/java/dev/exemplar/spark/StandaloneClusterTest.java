package dev.exemplar.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.exemplar.spark.SummarizeJobTest.DATASETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The job on a real cluster, not only in local mode: a standalone master and two workers of one core each, separate
 * JVMs on this machine, with this test as the driver (client mode). On classes-dev it orders every item once and
 * comes as close to the single machine as in local mode, and both workers run its tasks.
 */
class StandaloneClusterTest {
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void classesDevOnTwoWorkersMatchesTheSingleMachine(@TempDir Path tmp) throws Exception {
        boolean there = Files.isDirectory(DATASETS.resolve("classes-dev"));
        if (!there && System.getenv("CI") != null) fail("the development datasets are missing beside the repository");
        assumeTrue(there, "the development datasets are beside the repository");

        long t0 = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), 2)) {
            System.out.printf("cluster up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            SparkSession spark = cluster.driver("exemplar cluster test").getOrCreate();
            try {
                Set<String> ranTasks = ConcurrentHashMap.newKeySet();
                spark.sparkContext().addSparkListener(new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        ranTasks.add(end.taskInfo().executorId());
                    }
                });

                SummarizeJobTest.Figures f = SummarizeJobTest.compare(spark, "classes-dev", "class", tmp);
                f.assertSameDuplicates();
                f.assertCoverage();
                f.assertAccuracy();

                String app = spark.sparkContext().applicationId();
                for (int worker : cluster.workerUis()) {
                    List<String> executors = cluster.executorsOf(worker, app);
                    System.out.printf("worker at :%d: executors %s; tasks ran on executors %s%n", worker, executors, ranTasks);
                    assertThat(executors).as("executors of the worker at :%d that ran tasks", worker).containsAnyElementsOf(ranTasks);
                }
            } finally {
                spark.stop();
            }
        }
    }
}
