package dev.exemplar.summary;

import dev.exemplar.features.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * The similarity kernels and the search's inner loops, on the Vector API and on the plain loops:
 * a dot product, a tile of 64 rows by 512 columns, the rows of a cell of 512 compared with each
 * other into neighbour lists (gathering, tile and offers), and one row's offers into a list.
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
    float[][] cell;
    int[] members;
    KBest lists;
    float[] row;
    int[] candidates;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        a = random(d, rnd);
        b = random(d, rnd);
        rowsA = random(64 * d, rnd);
        colsT = random(d * 512, rnd);
        out = new float[64 * 512];
        cell = new float[512][];
        for (int i = 0; i < cell.length; i++) cell[i] = random(d, rnd);
        members = IntStream.range(0, cell.length).toArray();
        lists = new KBest(cell.length, 20);
        row = random(512, rnd);
        candidates = IntStream.range(1, 513).toArray();
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

    /** A cell of 512 rows against itself into neighbour lists of 20, as the search does it (rows copied, tiles, offers). */
    @Benchmark
    public KBest cell() {
        Tiles.scratch().compare(cell, members, 0, members.length, cell, members, 0, members.length, lists.sink);
        return lists;
    }

    /** One query's 512 similarities offered to a list that is already full, as most offers are. */
    @Benchmark
    public KBest offers() {
        lists.sink.row(0, candidates, 0, row, 0, 512);
        return lists;
    }
}
