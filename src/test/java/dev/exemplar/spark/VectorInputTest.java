package dev.exemplar.spark;

import dev.exemplar.summary.GroupCoverage;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Tables of precomputed vectors as the job's input, on 5,000 generated rows in 50 classes: a raw float32 matrix and the
 * same rows as a Parquet table. Every row is ordered once, the order covers the known groups about as well as the
 * single machine's order of the same rows, and both forms of the table give one order.
 */
class VectorInputTest {
    static final int ROWS = 5000, DIM = 64, PARTITIONS = 4;

    @TempDir
    static Path tmp;
    private static SparkSession spark;
    private static GeneratedMatrix matrix;
    /** The job's order of the float32 matrix, made once. */
    private static List<String> matrixOrder;

    @BeforeAll
    static void start() throws Exception {
        matrix = GeneratedMatrix.write(tmp, ROWS, DIM, 50);
        spark = SparkSession.builder().master("local[2]").appName("exemplar vector input test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS)).getOrCreate();
        matrixOrder = run(JobOptions.parse("--input", matrix.file().toUri().toString(), "--dim", String.valueOf(DIM),
                "--output", tmp.resolve("from-f32").toUri().toString(), "--partitions", String.valueOf(PARTITIONS))).order();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void everyRowOfAMatrixIsOrderedOnceAndItsGroupsCoveredAsOnOneMachine() throws IOException {
        assertThat(matrixOrder).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, ROWS).mapToObj(String::valueOf).toList());

        GroupCoverage truth = GroupCoverage.read(matrix.truth(), ROWS);
        double job = truth.atG(matrixOrder.stream().mapToInt(Integer::parseInt).toArray());
        double single = truth.atG(Pipeline.order(Pipeline.neighbours(matrix.read())).order());
        System.out.printf("%d rows, G = %d: coverage at G job %.4f, single machine %.4f%n", ROWS, truth.groups(), job, single);
        assertThat(job).as("group coverage at G against the single machine's").isCloseTo(single, within(0.02));
    }

    @Test
    void theSameRowsAsAParquetTableGiveTheSameOrder() throws IOException {
        float[][] x = matrix.read();
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            List<Double> v = new ArrayList<>(DIM);
            for (float f : x[i]) v.add((double) f);
            rows.add(RowFactory.create(String.valueOf(i), v));
        }
        // doubles here: a table of either float or double arrays is read, and a float survives the round trip exactly
        StructType schema = new StructType().add("item", DataTypes.StringType).add("vector", DataTypes.createArrayType(DataTypes.DoubleType));
        Path table = tmp.resolve("rows.parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());

        List<String> order = run(JobOptions.parse("--input", table.toUri().toString(), "--output", tmp.resolve("from-parquet").toUri().toString(),
                "--partitions", String.valueOf(PARTITIONS))).order();
        assertThat(order).isEqualTo(matrixOrder);
    }

    @Test
    void aTableWithoutItsColumnsIsRefusedNamingTheColumnsItHas() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> t = spark.createDataFrame(List.of(RowFactory.create(1, List.of(1f, 0f))), schema);
        Path table = tmp.resolve("wrong.parquet");
        t.write().parquet(table.toString());

        assertThatThrownBy(() -> SummarizeJob.run(spark, JobOptions.parse("--input", table.toString(), "--output", tmp.resolve("no").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its columns are id int, features array<float>")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMatrixThatIsNotWholeRowsIsRefused() throws IOException {
        Path odd = Files.write(tmp.resolve("odd.f32"), new byte[4 * 10]);
        assertThatThrownBy(() -> SummarizeJob.run(spark, JobOptions.parse("--input", odd.toString(), "--dim", "3", "--output", tmp.resolve("no").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 40 bytes, not a whole number of rows of 3 floats");
    }

    private static Result run(JobOptions o) throws IOException {
        SummarizeJob.run(spark, o);
        return ResultParts.read(Path.of(java.net.URI.create(o.output())));
    }
}
