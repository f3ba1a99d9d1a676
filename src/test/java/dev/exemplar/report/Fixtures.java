package dev.exemplar.report;

import dev.exemplar.summary.Result;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test data: real photographs from the shared rooms set when it is beside the project, else drawn ones. */
final class Fixtures {
    static final Path ROOMS = Path.of("..", "shared", "datasets", "rooms-dev");

    private Fixtures() { }

    /** Up to {@code count} pictures by item name, kept small so large reports stay quick to build. */
    static Map<String, BufferedImage> pictures(int count) throws IOException {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        Path images = ROOMS.resolve("images");
        if (Files.isDirectory(images)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(images)) {
                files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(count).toList();
            }
            for (Path f : files) {
                BufferedImage img = ImageIO.read(f.toFile());
                if (img != null) out.put("images/" + f.getFileName(), ThumbnailFiles.scale(img));
            }
        }
        for (int i = out.size(); i < count; i++) out.put(String.format("synthetic/%03d.png", i), synthetic(i));
        return out;
    }

    /** A coloured picture with a shape, distinct per index. */
    static BufferedImage synthetic(int i) {
        BufferedImage img = new BufferedImage(240, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.getHSBColor((i * 0.137f) % 1f, 0.55f, 0.85f));
        g.fillRect(0, 0, 240, 180);
        g.setColor(Color.getHSBColor((i * 0.137f + 0.5f) % 1f, 0.6f, 0.6f));
        g.fillOval(20 + i * 7 % 120, 20 + i * 11 % 80, 90, 70);
        g.dispose();
        return img;
    }

    /** A result over {@code names}: the first k are delegates; every other item links to up to 3 of them. */
    static Result result(List<String> names, int k, List<Result.ItemError> errors) {
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        for (int i = k; i < names.size(); i++) {
            List<Result.Link> ls = new ArrayList<>();
            int m = 1 + i % 3;
            double[] w = m == 1 ? new double[] {1} : m == 2 ? new double[] {0.7, 0.3} : new double[] {0.5, 0.3, 0.2};
            for (int j = 0; j < m; j++) ls.add(new Result.Link(names.get((i * 7 + j * 3) % k), w[j]));
            links.put(names.get(i), ls);
        }
        List<List<String>> dups = new ArrayList<>();
        for (int i = k; i + 2 < names.size() && dups.size() < Math.max(1, names.size() / 100); i += 17) {
            dups.add(List.of(names.get(i), names.get(i + 1), names.get(i + 2)));
        }
        return new Result(names, k, links, dups, errors);
    }

    /** A falling curve with noise, like greedy marginal gains. */
    static double[] gains(int n) {
        double[] g = new double[n];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < n; i++) g[i] = 1.0 / Math.sqrt(1 + i * 0.5) * (0.9 + 0.2 * rnd.nextDouble());
        return g;
    }
}
