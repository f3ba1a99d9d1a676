package dev.exemplar.cli;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.summary.Item;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Files to global descriptors, as the engine's features phase makes them without keypoints: decode (at
 * {@link ImageFeatures#DECODED_SIDE}), 64 px L*a*b* thumbnail, descriptor and texture. Each phase's CPU time is
 * summed over the threads. The yardstick, on the same bytes and threads in the same run, is a bare full decode by
 * ImageIO. The files are read into memory first, timed apart.
 */
final class IngestBench {
    private static final String[] PHASES = {"decode", "thumbnail", "descriptor"};

    /** One timed pass: wall seconds, CPU nanoseconds per phase summed over threads, images that failed. */
    record Pass(double seconds, long[] cpuNanos, int errors) {
        long cpu() {
            long sum = 0;
            for (long c : cpuNanos) sum += c;
            return sum;
        }
    }

    private interface Work {
        /** Processes image i, adding each phase's CPU nanoseconds to cpu; false when the image could not be read. */
        boolean run(int i, long[] cpu);
    }

    private final List<Item> items;
    private final byte[][] bytes;
    private final ImageLoader loader;
    private final int threads;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private IngestBench(List<Item> items, byte[][] bytes, ImageLoader loader, int threads) {
        this.items = items;
        this.bytes = bytes;
        this.loader = loader;
        this.threads = threads;
    }

    /** Reads the items' bytes, warms up, times both passes; the figures in the order they are printed. */
    static Map<String, Object> run(List<Item> all, int limit, int threads, int warmup, ImageLoader loader) throws IOException {
        List<Item> items = all.subList(0, Math.min(all.size(), limit));
        if (items.isEmpty()) throw new CliFailure("no files to read");
        long t = System.nanoTime();
        byte[][] bytes = new byte[items.size()][];
        long total = 0;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = items.get(i).reader().read();
            total += bytes[i].length;
        }
        double readSeconds = (System.nanoTime() - t) / 1e9;
        IngestBench bench = new IngestBench(items, bytes, loader, threads);

        // the JIT compiles both paths before either is timed
        int w = Math.min(warmup, bytes.length);
        bench.pass(w, bench::describe);
        bench.pass(w, bench::decodeWithImageIo);
        Pass ingest = bench.pass(bytes.length, bench::describe);
        Pass imageIo = bench.pass(bytes.length, bench::decodeWithImageIo);

        int n = bytes.length;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("benchmark", "ingest");
        f.put("images", n);
        f.put("errors", ingest.errors());
        f.put("threads", threads);
        f.put("decoder", loader.jpegDecoder());
        f.put("decoded_side", ImageFeatures.DECODED_SIDE);
        f.put("seconds", BenchCommand.round(ingest.seconds(), 3));
        f.put("images_per_s", BenchCommand.round(n / ingest.seconds(), 0));
        f.put("images_per_cpu_s", BenchCommand.round(n / (ingest.cpu() / 1e9), 0));
        Map<String, Double> perImage = new LinkedHashMap<>();
        for (int p = 0; p < PHASES.length; p++) perImage.put(PHASES[p], BenchCommand.round(ingest.cpuNanos()[p] / 1e6 / n, 4));
        f.put("cpu_ms_per_image", perImage);
        f.put("imageio_decode_seconds", BenchCommand.round(imageIo.seconds(), 3));
        f.put("imageio_decode_images_per_s", BenchCommand.round(n / imageIo.seconds(), 0));
        f.put("imageio_decode_cpu_ms_per_image", BenchCommand.round(imageIo.cpu() / 1e6 / n, 4));
        f.put("imageio_decode_errors", imageIo.errors());
        f.put("speed_over_imageio_decode", BenchCommand.round(imageIo.seconds() / ingest.seconds(), 2));
        f.put("read_seconds", BenchCommand.round(readSeconds, 3));
        f.put("read_mb", BenchCommand.round(total / 1e6, 1));
        f.put("warmup_images", w);
        f.put("cores", Runtime.getRuntime().availableProcessors());
        return f;
    }

    /** The global features as {@link ImageFeatures#of} makes them, phase by phase. */
    private boolean describe(int i, long[] cpu) {
        long t0 = CPU.getCurrentThreadCpuTime();
        try {
            return loader.lend(bytes[i], items.get(i).name(), ImageFeatures.DECODED_SIDE, d -> {
                long t1 = CPU.getCurrentThreadCpuTime();
                Thumbnail thumbnail = Thumbnails.lab(d, ImageFeatures.THUMBNAIL);
                long t2 = CPU.getCurrentThreadCpuTime();
                ImageFeatures.global(thumbnail, d.aspect());
                long t3 = CPU.getCurrentThreadCpuTime();
                cpu[0] += t1 - t0;
                cpu[1] += t2 - t1;
                cpu[2] += t3 - t2;
                return true;
            });
        } catch (ImageError e) {
            cpu[0] += CPU.getCurrentThreadCpuTime() - t0;
            return false;
        }
    }

    /** The yardstick: the whole picture by ImageIO (with TwelveMonkeys' readers, as the loader has them), nothing else. */
    private boolean decodeWithImageIo(int i, long[] cpu) {
        long t0 = CPU.getCurrentThreadCpuTime();
        boolean ok;
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes[i])) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ok = readers.hasNext();
            if (ok) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, false);
                    reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            ok = false;
        }
        cpu[0] += CPU.getCurrentThreadCpuTime() - t0;
        return ok;
    }

    /** The first n images, shared out to the threads one at a time. */
    private Pass pass(int n, Work work) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[][] cpu = new long[threads][PHASES.length];
        List<Thread> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int k = 0; k < threads; k++) {
            long[] mine = cpu[k];
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    if (!work.run(i, mine)) errors.incrementAndGet();
                }
            }, "ingest-" + k);
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sum = new long[PHASES.length];
        for (long[] c : cpu) for (int p = 0; p < sum.length; p++) sum[p] += c[p];
        return new Pass(seconds, sum, errors.get());
    }
}
