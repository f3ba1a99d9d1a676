package dev.exemplar.features;

import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The parts of the descriptor on the 64 px thumbnails of the sample photographs, and the whole descriptor; beside
 * the two replaced library calls, the library call: ranking 4,096 lightness values by a boxed sort, and 4,096
 * gradient angles by Math.atan2. Times are per thumbnail.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DescriptorBench {
    /** The sample photographs, samples/rooms/images; times are per photograph. */
    static final int PHOTOS = 36;
    private Thumbnail[] thumbnails;

    @Setup
    public void thumbnails() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("samples", "rooms", "images"))) {
            files = s.sorted().limit(PHOTOS).toList();
        }
        ImageLoader loader = ImageLoader.defaults();
        thumbnails = new Thumbnail[files.size()];
        for (int i = 0; i < thumbnails.length; i++) {
            byte[] bytes = Files.readAllBytes(files.get(i));
            thumbnails[i] = Thumbnails.lab(loader.decode(bytes, files.get(i).toString(), ImageFeatures.DECODED_SIDE), 64);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void descriptor(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(ImageFeatures.global(t, 1.5));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void colour(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(ColourHistogram.of(t));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void neutralColour(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(NeutralColourHistogram.of(t));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void layout(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(Layout.of(t));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void gradients(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(GradientHistogram.of(t.l(), t.size()));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void texture(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(TextureHistogram.of(t.l(), t.size()));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void rankLightness(Blackhole out) {
        for (Thumbnail t : thumbnails) out.consume(NeutralColourHistogram.order(t.l()));
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public void rankLightnessBoxedSort(Blackhole out) {
        for (Thumbnail t : thumbnails) {
            float[] l = t.l();
            Integer[] idx = new Integer[l.length];
            for (int i = 0; i < l.length; i++) idx[i] = i;
            Arrays.sort(idx, (x, y) -> Float.compare(l[x], l[y]));
            out.consume(idx);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public double orientations() {
        double sum = 0;
        for (Thumbnail t : thumbnails) {
            float[] a = t.a(), b = t.b();
            for (int i = 0; i < a.length; i++) sum += GradientHistogram.orientation(a[i], b[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(PHOTOS)
    public double orientationsMathAtan2() {
        double sum = 0;
        for (Thumbnail t : thumbnails) {
            float[] a = t.a(), b = t.b();
            for (int i = 0; i < a.length; i++) {
                double angle = Math.atan2(b[i], a[i]);
                sum += angle < 0 ? angle + Math.PI : angle;
            }
        }
        return sum;
    }
}
