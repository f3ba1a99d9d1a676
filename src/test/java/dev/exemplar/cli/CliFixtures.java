package dev.exemplar.cli;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Images, hostile files and a way to run the command line with captured output. */
final class CliFixtures {
    /** The shared development dataset, relative to the project root; tests fall back to drawn images without it. */
    static final Path DATASET = Path.of("..", "shared", "datasets", "rooms-dev", "images");

    private CliFixtures() { }

    record Outcome(int code, String out, String err) { }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Writes {@code count} good JPEG images into dir and returns their file names. */
    static List<String> goodImages(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        List<Path> real = List.of();
        if (Files.isDirectory(DATASET)) {
            try (Stream<Path> s = Files.list(DATASET)) {
                real = s.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().limit(count).toList();
            }
        }
        for (int i = 0; i < count; i++) {
            String name = String.format("img%02d.jpg", i);
            if (i < real.size()) Files.copy(real.get(i), dir.resolve(name));
            else Files.write(dir.resolve(name), jpeg(drawn(i)));
            names.add(name);
        }
        return names;
    }

    /** A picture of coloured rectangles that differs clearly from one seed to the next. */
    static BufferedImage drawn(long seed) {
        Random rnd = new Random(seed * 7919 + 1);
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.getHSBColor(rnd.nextFloat(), 0.6f, 0.9f));
        g.fillRect(0, 0, 160, 120);
        for (int k = 0; k < 6; k++) {
            g.setColor(Color.getHSBColor(rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()));
            g.fillRect(rnd.nextInt(140), rnd.nextInt(100), 10 + rnd.nextInt(70), 10 + rnd.nextInt(50));
        }
        g.dispose();
        return img;
    }

    static byte[] jpeg(BufferedImage img) {
        return encode(img, "jpeg");
    }

    static byte[] png(BufferedImage img) {
        return encode(img, "png");
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A valid PNG header declaring w x h RGB pixels, followed by a tiny IDAT: a decompression bomb's shape. */
    static byte[] pngDeclaring(int w, int h) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 2, 0, 0, 0}).array());
        Deflater d = new Deflater();
        d.setInput(new byte[1024]);
        d.finish();
        byte[] idat = new byte[256];
        int n = d.deflate(idat);
        d.end();
        chunk(png, "IDAT", Arrays.copyOf(idat, n));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(t);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
