package dev.exemplar.summary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Times the approximate neighbour graph on a raw little-endian float32 matrix and estimates
 * recall@10 on a sample against brute force. Not a test: run by hand on large matrices, e.g.
 * {@code java -cp target/classes:target/test-classes dev.exemplar.summary.NeighbourSearchBench feats.f32 256}.
 */
public final class NeighbourSearchBench {
    public static void main(String[] args) throws IOException {
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 256, k = 20, sample = 500;
        long t0 = System.nanoTime();
        float[][] x = read(Path.of(args[0]), d);
        if (args.length > 2) x = java.util.Arrays.copyOf(x, Integer.parseInt(args[2]));
        int n = x.length;
        System.out.printf("read %d x %d in %.1f s%n", n, d, (System.nanoTime() - t0) / 1e9);
        // CPU time too: on a shared machine wall time says little
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long t1 = System.nanoTime(), c1 = os.getProcessCpuTime();
        NeighbourGraph g = NeighbourSearch.approximate(x, k, NeighbourGraph.SEED);
        System.out.printf("approximate graph k=%d: %.1f s wall, %.1f s cpu%n", k, (System.nanoTime() - t1) / 1e9, (os.getProcessCpuTime() - c1) / 1e9);
        SplittableRandom rnd = new SplittableRandom(7);
        int hits = 0;
        for (int s = 0; s < sample; s++) {
            int i = rnd.nextInt(n);
            NeighbourGraph.TopK top = new NeighbourGraph.TopK(10);
            for (int j = 0; j < n; j++) if (j != i) top.offer(j, NeighbourSearch.dot(x[i], x[j]));
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int t = 0; t < top.size; t++) truth.add(top.ids[t]);
            for (int t = 0; t < 10; t++) if (truth.contains(g.neighbours(i)[t])) hits++;
        }
        System.out.printf("recall@10 on %d items: %.4f%n", sample, hits / (10.0 * sample));
    }

    public static float[][] read(Path p, int d) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            int n = (int) (ch.size() / (4L * d));
            float[][] x = new float[n][d];
            ByteBuffer buf = ByteBuffer.allocateDirect(4 * d * 4096).order(ByteOrder.LITTLE_ENDIAN);
            int row = 0;
            while (row < n) {
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf) > 0) { }
                buf.flip();
                while (buf.remaining() >= 4 * d && row < n) {
                    buf.asFloatBuffer().get(x[row++]);
                    buf.position(buf.position() + 4 * d); // the float view does not advance the bytes
                }
            }
            return x;
        }
    }
}
