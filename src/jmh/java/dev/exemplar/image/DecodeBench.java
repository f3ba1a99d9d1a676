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
 * Decoding the sample photographs (about 0.2 megapixels) for the descriptors (short side 128 or more) through
 * libjpeg-turbo and through ImageIO, and whole through each. Times are per photograph.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBench {
    /** The sample photographs, samples/rooms/images; times are per photograph. */
    static final int PHOTOS = 36;
    private byte[][] jpegs;
    private final ImageLoader turbo = ImageLoader.defaults();
    private final ImageLoader imageIo = turbo.withImageIoOnly();
    private final ImageLoader wholeTurbo = new ImageLoader(100_000_000L, Integer.MAX_VALUE);
    private final ImageLoader wholeImageIo = wholeTurbo.withImageIoOnly();

    @Setup
    public void read() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("samples", "rooms", "images"))) {
            files = s.sorted().limit(PHOTOS).toList();
        }
        jpegs = new byte[files.size()][];
        for (int i = 0; i < jpegs.length; i++) jpegs[i] = Files.readAllBytes(files.get(i));
        if (!turbo.jpegDecoder().equals("libjpeg-turbo")) System.out.println("libjpeg-turbo is not installed: ImageIO decodes all");
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void reducedByLibjpegTurbo(Blackhole out) throws ImageError {
        for (byte[] j : jpegs) out.consume(turbo.decode(j, "bench.jpg", 128));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void reducedByImageIo(Blackhole out) throws ImageError {
        for (byte[] j : jpegs) out.consume(imageIo.decode(j, "bench.jpg", 128));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void wholeByLibjpegTurbo(Blackhole out) throws ImageError {
        for (byte[] j : jpegs) out.consume(wholeTurbo.load(j, "bench.jpg"));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void wholeByImageIo(Blackhole out) throws ImageError {
        for (byte[] j : jpegs) out.consume(wholeImageIo.load(j, "bench.jpg"));
    }
}
