package dev.exemplar.image;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The 64 px thumbnail of a photograph decoded as the descriptors are (short side 128 or more, DCT-scaled where
 * libjpeg-turbo is installed): area averaging, then the L*a*b* conversion; and the cube root the conversion takes
 * three times a pixel, against Math.cbrt. Times are per picture, and per value for the cube roots.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThumbnailBench {
    /** The sample photographs, samples/rooms/images; times are per photograph. */
    static final int PHOTOS = 36;
    private Decoded[] pictures;
    private float[][] averages;
    private static final int CUBES = 4096;
    private final double[] cubes = new double[CUBES];

    @Setup
    public void decode() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("samples", "rooms", "images"))) {
            files = s.sorted().limit(PHOTOS).toList();
        }
        ImageLoader loader = ImageLoader.defaults();
        pictures = new Decoded[files.size()];
        averages = new float[files.size()][];
        for (int i = 0; i < pictures.length; i++) {
            pictures[i] = loader.decode(Files.readAllBytes(files.get(i)), files.get(i).toString(), 128);
            averages[i] = Thumbnails.average(pictures[i].image(), 64, 64);
        }
        for (int i = 0; i < cubes.length; i++) cubes[i] = 216.0 / 24389.0 + i / 4096.0;
        System.out.println("decoder: " + loader.jpegDecoder());
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void average(Blackhole out) {
        for (Decoded d : pictures) out.consume(Thumbnails.average(d.image(), d.width() * d.scale(), d.height() * d.scale(), 64, 64));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void lab(Blackhole out) {
        for (float[] rgb : averages) out.consume(Thumbnails.toLab(rgb, 64));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void thumbnail(Blackhole out) {
        for (Decoded d : pictures) out.consume(Thumbnails.lab(d, 64));
    }

    @Benchmark
    @OperationsPerInvocation(CUBES)
    public double cubeRoot() {
        double sum = 0;
        for (double c : cubes) sum += Thumbnails.cbrt(c);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(CUBES)
    public double cubeRootMathCbrt() {
        double sum = 0;
        for (double c : cubes) sum += Math.cbrt(c);
        return sum;
    }
}
