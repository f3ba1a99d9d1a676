package dev.exemplar.features;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The similarity kernels on the Vector API and on the plain loops: a dot product and a tile of 64
 * rows by 512 columns (the neighbour search's inner loops are in {@code summary.TilesBench}).
 * Run with {@code mvn -B -Pjmh package exec:exec} (docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KernelsBench {
    @Param({"256", "3986"})
    int d;

    float[] a, b, rowsA, colsT, out;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        a = random(d, rnd);
        b = random(d, rnd);
        rowsA = random(64 * d, rnd);
        colsT = random(d * 512, rnd);
        out = new float[64 * 512];
    }

    private static float[] random(int n, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() - 0.5);
        return v;
    }

    @Benchmark
    public float dotVector() {
        return VectorKernels.dot(a, b);
    }

    @Benchmark
    public float dotScalar() {
        return Kernels.scalarDot(a, b);
    }

    /** 64 x 512 dot products: divide by 32,768 d for the time of one multiply-add. */
    @Benchmark
    public float[] tileVector() {
        VectorKernels.tile(rowsA, 0, 64, d, colsT, 512, out);
        return out;
    }

    @Benchmark
    public float[] tileScalar() {
        Kernels.scalarTile(rowsA, 0, 64, d, colsT, 512, out);
        return out;
    }
}
