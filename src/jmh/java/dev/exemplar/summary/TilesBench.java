package dev.exemplar.summary;

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
 * The neighbour search's inner loops: the rows of a cell of 512 compared with each other into
 * neighbour lists (gathering, tile and offers), and one row's offers into a list.
 * Run with {@code mvn -B -Pjmh package exec:exec} (docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TilesBench {
    @Param({"256", "3986"})
    int d;

    float[][] cell;
    int[] members;
    KBest lists;
    float[] row;
    int[] candidates;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
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

    /** A cell of 512 rows against itself into neighbour lists of 20, as the search does it (rows copied, tiles, offers). */
    @Benchmark
    public KBest cell() {
        Tiles.scratch().compare(Rows.of(cell), members, 0, members.length, Rows.of(cell), members, 0, members.length, lists.sink);
        return lists;
    }

    /** One query's 512 similarities offered to a list that is already full, as most offers are. */
    @Benchmark
    public KBest offers() {
        lists.sink.row(0, candidates, 0, row, 0, 512);
        return lists;
    }
}
