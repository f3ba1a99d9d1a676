package dev.exemplar.report;

import java.awt.Color;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The reports' thumbnails: {@code <dir>/<i>.jpg} for the i-th item, its long side {@value #THUMB_SIZE} px. */
final class ThumbnailFiles {
    static final int THUMB_SIZE = 160;
    private static final int THREADS = 2;

    private ThumbnailFiles() { }

    /** Writes thumbs/<i>.jpg on two threads; returns width,height per item (0,0 when there is none). */
    static int[] write(List<String> items, ThumbnailSource source, Path dir) throws IOException {
        clearOldThumbs(dir);
        int[] dims = new int[items.size() * 2];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Void>> jobs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                jobs.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < items.size(); ) {
                        BufferedImage img = render(source, items.get(i));
                        if (img == null) continue;
                        writeJpeg(img, dir.resolve(i + ".jpg"));
                        dims[2 * i] = img.getWidth();
                        dims[2 * i + 1] = img.getHeight();
                    }
                    return null;
                }));
            }
            for (Future<Void> f : jobs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing thumbnails", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("writing thumbnails failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return dims;
    }

    /** An item that cannot be rendered is shown as a placeholder, not a failed report. */
    private static BufferedImage render(ThumbnailSource source, String item) {
        try {
            BufferedImage img = source.thumbnail(item);
            return img == null || img.getWidth() <= 0 || img.getHeight() <= 0 ? null : scale(img);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stale files from an earlier, larger report would otherwise stay beside the new one. */
    private static void clearOldThumbs(Path dir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.jpg")) {
            for (Path p : old) if (p.getFileName().toString().matches("\\d+\\.jpg")) Files.delete(p);
        }
    }

    /** Long side to THUMB_SIZE on an opaque RGB canvas; halving first keeps downscaling smooth. */
    static BufferedImage scale(BufferedImage src) {
        double f = (double) THUMB_SIZE / Math.max(src.getWidth(), src.getHeight());
        int w = Math.max(1, (int) Math.round(src.getWidth() * f));
        int h = Math.max(1, (int) Math.round(src.getHeight() * f));
        BufferedImage cur = src;
        while (cur.getWidth() / 2 >= w && cur.getHeight() / 2 >= h) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, w, h);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE); // transparent pixels become white, not black
        g.fillRect(0, 0, w, h);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static void writeJpeg(BufferedImage img, Path file) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        // A memory cache: ImageIO's default stream would buffer through a temporary file per thumbnail.
        try (OutputStream stream = Files.newOutputStream(file);
             ImageOutputStream out = new MemoryCacheImageOutputStream(stream)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
