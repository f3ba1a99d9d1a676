package dev.exemplar.spark;

import dev.exemplar.features.Vectors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A clustered float32 matrix with known groups, written by the datasets' generator, {@code gen_scale_features.py}. */
record GeneratedMatrix(Path file, int rows, int dim) {
    static final Path GENERATOR = Path.of("../shared/tools/gen_scale_features.py");

    /** The generator's matrix and its {@code .truth.csv} in {@code dir}; the test is skipped where Python with numpy is missing. */
    static GeneratedMatrix write(Path dir, int rows, int dim, int classes) throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(GENERATOR), "the datasets' tools are beside the repository");
        Path file = dir.resolve("rows.f32");
        Process p;
        try {
            p = new ProcessBuilder("python3", GENERATOR.toString(), "--out", file.toString(), "--n", String.valueOf(rows),
                    "--d", String.valueOf(dim), "--classes", String.valueOf(classes)).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            assumeTrue(false, "python3 is on the PATH");
            throw noPython;
        }
        String said = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0 || !said.contains("No module named 'numpy'"), "numpy is installed");
        if (p.exitValue() != 0) throw new IOException("gen_scale_features.py failed:\n" + said);
        return new GeneratedMatrix(file, rows, dim);
    }

    Path truth() {
        return file.resolveSibling(file.getFileName() + ".truth.csv");
    }

    /** The rows as the engine reads them: unit length, as {@code bench order} loads them. */
    float[][] read() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] x = new float[rows][dim];
        for (float[] row : x) {
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * dim);
            Vectors.unit(row);
        }
        return x;
    }
}
