package dev.exemplar.spark;

import dev.exemplar.spark.JobOptions.InputFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job's command line: what the input is, told by its name or by --input-format, and every bad value refused in one line. */
class JobOptionsTest {
    @Test
    void theInputsNameTellsWhatItHolds() {
        assertThat(JobOptions.parse("--input", "hdfs:///photos", "--output", "o").format()).isEqualTo(InputFormat.FOLDER);
        assertThat(JobOptions.parse("--input", "s3a://b/rows.f32", "--dim", "256", "--output", "o").format()).isEqualTo(InputFormat.F32);
        assertThat(JobOptions.parse("--input", "/data/vectors.parquet/", "--output", "o").format()).isEqualTo(InputFormat.PARQUET);
        assertThat(JobOptions.parse("--input", "export.json", "--output", "o").format()).isEqualTo(InputFormat.TASKS);
        assertThat(JobOptions.parse("--input", "/data/vectors", "--input-format", "parquet", "--output", "o").format())
                .as("a folder of Parquet files named otherwise").isEqualTo(InputFormat.PARQUET);
    }

    @Test
    void everyOptionIsRead() {
        JobOptions o = JobOptions.parse("--input", "rows.f32", "--dim", "64", "--output", "out", "--summary-size", "5%", "--max-delegates", "2",
                "--partitions", "8");
        assertThat(o).isEqualTo(new JobOptions("rows.f32", "out", "5%", 2, 8, InputFormat.F32, 64, null, null, null, 0.5));
        assertThat(JobOptions.parse("--input", "photos", "--output", "out", "--embeddings", "e.npy").embeddings()).isEqualTo("e.npy");
        assertThat(JobOptions.parse("--input", "photos", "--output", "out", "--embeddings", "e.npy", "--embeddings-min-match", "80%")
                .embeddingsMinMatch()).isEqualTo(0.8);
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        refused("--partitions must be a whole number, not 'many'", "--input", "in", "--output", "o", "--partitions", "many");
        refused("--partitions must be at least 1, not 0", "--input", "in", "--output", "o", "--partitions", "0");
        refused("--embeddings-min-match must be a percentage from 0% to 100%, not '0.8'", "--input", "in", "--output", "o",
                "--embeddings-min-match", "0.8");
        refused("--max-delegates must be at least 1, not -1", "--input", "in", "--output", "o", "--max-delegates", "-1");
        refused("--dim is required with a float32 matrix as input", "--input", "rows.f32", "--output", "o");
        refused("--dim must be a whole number, not '64.5'", "--input", "rows.f32", "--dim", "64.5", "--output", "o");
        refused("--dim is for a float32 matrix as input, not a folder input", "--input", "photos", "--dim", "64", "--output", "o");
        refused("--input-format must be one of folder, parquet, f32, tasks, not 'csv'", "--input", "rows.csv", "--input-format", "csv", "--output", "o");
        refused("--embeddings joins vectors with images' features: a parquet input has vectors only", "--input", "v.parquet", "--output", "o",
                "--embeddings", "e.csv");
        refused("--image-field and --local-files-root are for a tasks export as input, not a folder input", "--input", "photos", "--output", "o",
                "--local-files-root", "/data");
    }

    @Test
    void missingOrUnknownOptionsAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> JobOptions.parse("--input", "in")).hasMessageStartingWith("--input and --output are required\nusage:");
        assertThatThrownBy(() -> JobOptions.parse("--input", "in", "--output", "o", "--sumary-size", "5")).hasMessageStartingWith("unknown option --sumary-size\nusage:");
        assertThatThrownBy(() -> JobOptions.parse("--input", "in", "--output")).hasMessageStartingWith("--output needs a value");
    }

    private static void refused(String message, String... args) {
        assertThatThrownBy(() -> JobOptions.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message).hasMessageNotContaining("\n");
    }
}
