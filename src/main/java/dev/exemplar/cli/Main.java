package dev.exemplar.cli;

import dev.exemplar.features.Descriptor;
import dev.exemplar.image.TempDecode;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.Summarizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

public final class Main {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        double floor = args.length > 2 ? Double.parseDouble(args[2]) : 0.0;
        String size = args.length > 3 ? args[3] : "auto";
        double wc = args.length > 4 ? Double.parseDouble(args[4]) : 1, wl = args.length > 5 ? Double.parseDouble(args[5]) : 1,
                wg = args.length > 6 ? Double.parseDouble(args[6]) : 1;
        double wn = args.length > 7 ? Double.parseDouble(args[7]) : 0, wt = args.length > 8 ? Double.parseDouble(args[8]) : 0;
        int tsize = System.getenv("TS") != null ? Integer.parseInt(System.getenv("TS")) : 64;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> names = new ArrayList<>();
        float[][] x = new float[files.size()][];
        var kps = new dev.exemplar.features.LocalFeatures.Keypoints[files.size()];
        long t0 = System.nanoTime();
        files.parallelStream().forEach(p -> {
            try {
                var img = TempDecode.read(p);
                Thumbnail t = TempDecode.thumbnail(img, tsize);
                if (System.getenv("KP") != null && Math.min(img.getWidth(), img.getHeight()) >= 160) {
                    int[] wh = new int[2];
                    float[] g = TempDecode.grey(img, dev.exemplar.features.LocalFeatures.SIDE, wh);
                    kps[files.indexOf(p)] = dev.exemplar.features.LocalFeatures.detect(g, wh[0], wh[1]);
                }
                x[files.indexOf(p)] = Descriptor.of(t, new Descriptor.Weights(wc, wl, wg, wn, wt));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        for (Path p : files) names.add(root.relativize(p).toString());
        if (System.getenv("DUMP") != null) {
            try (var o = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(Path.of(System.getenv("DUMP")))))) {
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(x[0].length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float[] r : x) { bb.clear(); for (float v : r) bb.putFloat(v); o.write(bb.array()); }
            }
            Files.write(Path.of(System.getenv("DUMP") + ".names"), names);
        }
        System.err.println("features ms " + (System.nanoTime() - t0) / 1_000_000 + " d=" + x[0].length);
        if (System.getenv("KP") != null) {
            var graph = dev.exemplar.summary.NeighbourGraph.exact(x, 15);
            long t1 = System.nanoTime();
            StringBuilder sb = new StringBuilder();
            java.util.List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.stream.IntStream.range(0, x.length).parallel().forEach(i -> {
                for (int t = 0; t < graph.neighbours(i).length; t++) {
                    int j = graph.neighbours(i)[t];
                    int m = kps[i] == null || kps[j] == null ? -1 : dev.exemplar.features.LocalFeatures.verifiedMatches(kps[i], kps[j]);
                    lines.add(i + "," + j + "," + graph.similarities(i)[t] + "," + m);
                }
            });
            System.err.println("verify ms " + (System.nanoTime() - t1) / 1_000_000);
            Files.write(Path.of(System.getenv("KP")), lines);
        }
        Summarizer.Run run = Summarizer.run(names, x, List.of(), new Summarizer.Options(size, 3, 20, floor));
        System.err.println(run.millis() + " " + run.sizeReason());
        run.result().write(out);
    }
}
