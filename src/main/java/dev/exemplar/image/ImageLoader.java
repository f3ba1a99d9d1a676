package dev.exemplar.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file into an upright TYPE_INT_RGB picture, small enough to summarise.
 * <p>
 * Bad input never escapes as anything but {@link ImageError}: the pixel count is checked from the header before
 * any pixel is decoded, large pictures are reduced while decoding, and truncated data is reported instead of
 * returning a partly grey picture. Instances are immutable and may be shared between threads.
 * <p>
 * JPEGs in YCbCr or grey, without a colour profile other than sRGB, are decoded by libjpeg-turbo where it is
 * installed ({@link TurboJpeg}), at the smallest scale of its inverse DCT that keeps the side asked for: it decodes
 * them as ImageIO does (the same libjpeg algorithms, to the bit at full scale), in a fraction of the time. Any
 * other file, and any JPEG libjpeg-turbo fails on, is decoded by ImageIO and its TwelveMonkeys plugins, which also
 * word the error of a damaged file.
 */
public final class ImageLoader {
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** Decoded size cap for extreme aspect ratios, where keeping the short side long would keep everything. */
    private static final long MAX_DECODED_PIXELS = 1L << 24;
    /**
     * Progressive JPEGs with more scans are refused before decoding: each scan is another pass over the whole
     * picture, and encoders write about 10 (mozjpeg's most thorough mode, under 70).
     */
    static final int MAX_JPEG_SCANS = 100;
    /** How long one image may decode before ImageIO's reader is told to abort. */
    static final long DEFAULT_TIME_LIMIT_MILLIS = 30_000;
    /** Aborts ImageIO reads that run past their time limit; a daemon thread, so it never keeps the JVM alive. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "image-decode-watchdog");
            t.setDaemon(true);
            return t;
        });
        // a decode that finishes in time cancels its task: dropped at once, not kept for the whole time limit
        w.setRemoveOnCancelPolicy(true);
        return w;
    }

    static {
        // registers the TwelveMonkeys readers (CMYK JPEG, WebP, TIFF, BMP) found on the class path
        ImageIO.scanForPlugins();
        // everything is read from memory: no temporary files
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;
    private final int minSide;
    /** Null: ImageIO decodes every file. */
    private final TurboJpeg turbo;
    private final long timeLimitMillis;
    private final DecodeBudget budget;

    /**
     * @param maxPixels images whose header declares more pixels are refused before decoding
     * @param minSide   large images are reduced while decoding, keeping the short side at least this long
     */
    public ImageLoader(long maxPixels, int minSide) {
        this(maxPixels, minSide, TurboJpeg.installed().orElse(null));
    }

    ImageLoader(long maxPixels, int minSide, TurboJpeg turbo) {
        this(maxPixels, minSide, turbo, DEFAULT_TIME_LIMIT_MILLIS, DecodeBudget.HEAP);
    }

    ImageLoader(long maxPixels, int minSide, TurboJpeg turbo, long timeLimitMillis, DecodeBudget budget) {
        if (maxPixels < 1 || minSide < 1 || timeLimitMillis < 1) {
            throw new IllegalArgumentException("maxPixels, minSide and timeLimitMillis must be positive");
        }
        this.maxPixels = maxPixels;
        this.minSide = minSide;
        this.turbo = turbo;
        this.timeLimitMillis = timeLimitMillis;
        this.budget = budget;
    }

    /** These limits with another time limit per image and decoding budget (tests). */
    ImageLoader with(long timeLimitMillis, DecodeBudget budget) {
        return new ImageLoader(maxPixels, minSide, turbo, timeLimitMillis, budget);
    }

    /** 100 million pixels at most; short side kept at 256 pixels or more. */
    public static ImageLoader defaults() {
        return new ImageLoader(100_000_000L, 256);
    }

    /** The same limits with every file decoded by ImageIO, as where libjpeg-turbo is not installed. */
    public ImageLoader withImageIoOnly() {
        return new ImageLoader(maxPixels, minSide, null, timeLimitMillis, budget);
    }

    /** What decodes JPEGs: "libjpeg-turbo" or "ImageIO". */
    public String jpegDecoder() {
        return turbo == null ? "ImageIO" : "libjpeg-turbo";
    }

    public BufferedImage load(Path file) throws ImageError {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ImageError("cannot read file: larger than 2 GB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageError("cannot read file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ImageError("cannot read file: permission denied", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageError("cannot read file: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw new ImageError("cannot read file: not enough memory to hold it", e);
        }
        Path name = file.getFileName();
        return load(bytes, name == null ? file.toString() : name.toString());
    }

    /** @param name the file name, used only to make messages clearer */
    public BufferedImage load(byte[] bytes, String name) throws ImageError {
        return decode(bytes, name, minSide).image();
    }

    /**
     * The picture reduced while decoding as far as the decoder can while keeping its short side at least
     * {@code side} (a smaller image whole). libjpeg-turbo scales in the inverse DCT, which averages; ImageIO keeps
     * every n-th pixel, which aliases, so other formats than JPEG are never reduced below this loader's own side.
     *
     * @param name the file name, used only to make messages clearer
     */
    public Decoded decode(byte[] bytes, String name, int side) throws ImageError {
        try (DecodeBudget.Hold hold = budget.hold()) {
            return decode(bytes, name, side, null, hold);
        }
    }

    /** What is made of a picture lent by {@link #lend}. */
    @FunctionalInterface
    public interface Use<T> {
        T apply(Decoded picture) throws ImageError;
    }

    /**
     * As {@link #decode(byte[], String, int)}, lending the picture to {@code use}: its pixels may sit in a buffer
     * this thread reuses for its next picture, so {@code use} must not keep it.
     */
    public <T> T lend(byte[] bytes, String name, int side, Use<T> use) throws ImageError {
        int[] buffer = BUFFER.get();
        // the permits are held while use works on the picture, which is when its copies exist
        try (DecodeBudget.Hold hold = budget.hold()) {
            Decoded d = decode(bytes, name, side, buffer, hold);
            if (d.image().getRaster().getDataBuffer() instanceof DataBufferInt data && data.getData() == buffer) {
                try {
                    BUFFER.set(null); // a decode within use gets its own array
                    return use.apply(d);
                } finally {
                    BUFFER.set(buffer);
                }
            }
            return use.apply(d);
        }
    }

    /** Pixels of a lent picture: room for a decoded side of about 400 (reduced photographs), grown by nothing. */
    private static final ThreadLocal<int[]> BUFFER = ThreadLocal.withInitial(() -> new int[1 << 18]);

    private Decoded decode(byte[] bytes, String name, int side, int[] buffer, DecodeBudget.Hold hold) throws ImageError {
        if (side < 1) {
            throw new IllegalArgumentException("side must be positive");
        }
        if (bytes.length == 0) {
            throw new ImageError("empty file (0 bytes)");
        }
        if (isJpeg(bytes)) {
            // bounded before any decoder runs: libjpeg-turbo cannot be interrupted, and ImageIO reads every scan
            // before it looks at an abort request
            int scans = JpegScans.count(bytes, MAX_JPEG_SCANS);
            if (scans > MAX_JPEG_SCANS) {
                throw new ImageError("cannot decode JPEG: more than " + MAX_JPEG_SCANS
                        + " progressive scans (a file built to make decoding take minutes)");
            }
            if (turbo != null) {
                Decoded d = decodeWithTurbo(bytes, side, buffer, hold);
                if (d != null) {
                    return d;
                }
            }
        }
        return decodeWithImageIo(bytes, name, side, hold);
    }

    /** The picture, or null when ImageIO is to decode the file (and, if it is damaged, say how). */
    private Decoded decodeWithTurbo(byte[] bytes, int side, int[] buffer, DecodeBudget.Hold hold) throws ImageError {
        try (TurboJpeg.Jpeg jpeg = turbo.open(bytes)) {
            TurboJpeg.Header h = jpeg.header;
            checkDeclared(h.width(), h.height());
            // CMYK, YCCK and RGB JPEGs, and colours to convert from a profile: TwelveMonkeys knows them
            if (!h.grey() && !(h.ycc() && !IccProfile.convertsColours(bytes))) {
                return null;
            }
            TurboJpeg.Scale scale = jpeg.scale(side, MAX_DECODED_PIXELS);
            hold.take(scale.of(h.width()), scale.of(h.height()), timeLimitMillis);
            BufferedImage image = jpeg.decode(scale, buffer);
            return upright(image, h.width(), h.height(), (double) scale.num() / scale.denom(), ExifOrientation.ofJpeg(bytes));
        } catch (ImageError e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageError("cannot decode JPEG: not enough memory", e);
        } catch (Exception | LinkageError e) {
            // truncated, damaged or of a kind libjpeg-turbo does not decode (12-bit, lossless)
            return null;
        }
    }

    private Decoded decodeWithImageIo(byte[] bytes, String name, int side, DecodeBudget.Hold hold) throws ImageError {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageError(unknownFormat(bytes, name));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                String format = formatOf(reader);
                int[] step = new int[1];
                BufferedImage decoded = decode(reader, format, bytes, format.equals("JPEG") ? side : Math.max(side, minSide), step,
                        hold);
                return upright(Rgb.toIntRgb(decoded), reader.getWidth(0), reader.getHeight(0), 1.0 / step[0],
                        orientation(bytes, format));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // only closing an in-memory stream can get here
            throw new ImageError("cannot read image data: " + describe(e), e);
        } catch (RuntimeException e) {
            // a plugin that fails while probing the format, or converting what it decoded
            throw new ImageError("cannot decode image: damaged file (" + odd(e) + ")", e);
        } catch (OutOfMemoryError e) {
            // pixels are bounded, but many large images may be loading at once
            throw new ImageError("not enough memory to load this image", e);
        }
    }

    private static Decoded upright(BufferedImage image, int width, int height, double scale, int orientation) {
        boolean turned = orientation >= 5 && orientation <= 8;
        return new Decoded(ExifOrientation.apply(image, orientation), turned ? height : width, turned ? width : height, scale);
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF;
    }

    private void checkDeclared(int w, int h) throws ImageError {
        long pixels = (long) w * h;
        if (w <= 0 || h <= 0) {
            throw new ImageError("image declares " + w + " x " + h + " pixels, which is not a picture");
        }
        if (pixels > maxPixels) {
            throw new ImageError("image declares " + w + " x " + h + " pixels (" + pixels
                    + "), above the limit of " + maxPixels);
        }
    }

    /** @param step receives the subsampling step used */
    private BufferedImage decode(ImageReader reader, String format, byte[] bytes, int side, int[] step,
                                 DecodeBudget.Hold hold) throws ImageError {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkDeclared(w, h);
            ImageReadParam param = readParam(reader, w, h, side);
            step[0] = param.getSourceXSubsampling();
            hold.take((w + step[0] - 1) / step[0], (h + step[0] - 1) / step[0], timeLimitMillis);
            // the readers check for an abort between rows (ImageIO's JPEG reader after absorbing every scan,
            // which the scan count bounds); an aborted read returns what it has, which is thrown away
            watchdog = WATCHDOG.schedule(() -> {
                aborted.set(true);
                reader.abort();
            }, timeLimitMillis, TimeUnit.MILLISECONDS);
            BufferedImage image = reader.read(0, param);
            watchdog.cancel(false);
            if (aborted.get()) {
                throw timedOut(format);
            }
            for (String warning : warnings) {
                if (meansTruncated(warning)) {
                    throw new ImageError("image data truncated: " + warning);
                }
            }
            if (format.equals("GIF")) {
                // ImageIO's GIF reader fills missing data with zeros and says nothing
                String cut = Truncation.of(format, bytes);
                if (cut != null) {
                    throw new ImageError("image data truncated: " + cut);
                }
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (aborted.get()) {
                throw timedOut(format);
            }
            // decoders also throw IndexOutOfBounds, IllegalArgument, NegativeArraySize ... on malformed data
            throw failure(e, format, bytes);
        } catch (OutOfMemoryError e) {
            throw new ImageError("cannot decode " + format + ": not enough memory", e);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            reader.removeIIOReadWarningListener(listener);
        }
    }

    private ImageError timedOut(String format) {
        return new ImageError("cannot decode " + format + ": abandoned after the time limit of "
                + timeLimitMillis / 1000.0 + " s per image");
    }

    private static ImageError failure(Exception e, String format, byte[] bytes) {
        String cut = Truncation.of(format, bytes);
        if (cut != null) {
            return new ImageError("image data truncated: " + cut, e);
        }
        if (isTruncation(e)) {
            return new ImageError("image data truncated: " + describe(e), e);
        }
        if (e instanceof RuntimeException) {
            // ClassCastException, ArrayIndexOutOfBounds, NegativeArraySize ...: the plugin met a layout it did not expect
            return new ImageError("cannot decode " + format + ": damaged file (" + odd(e) + ")", e);
        }
        return new ImageError("cannot decode " + format + ": " + describe(e), e);
    }

    /** A runtime exception of a plugin in a few words: its kind and, if short and not about classes, its message. */
    private static String odd(Throwable e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null || m.isBlank() || m.length() > 80 || m.contains("class ") ? kind : kind + ": " + m;
    }

    private static ImageReadParam readParam(ImageReader reader, int w, int h, int side) {
        ImageReadParam param = reader.getDefaultReadParam();
        // decoding every n-th pixel keeps memory and time bounded for large photos; the summary needs far fewer
        int step = Math.max(1, Math.min(w, h) / side);
        while ((long) (w / step) * (h / step) > MAX_DECODED_PIXELS) {
            step++;
        }
        if (step > 1) {
            // the middle pixel of each step x step block, so the picture lines up with the image it stands for
            param.setSourceSubsampling(step, step, step / 2, step / 2);
        }
        return param;
    }

    private static int orientation(byte[] bytes, String format) {
        return switch (format) {
            case "JPEG" -> ExifOrientation.ofJpeg(bytes);
            case "TIFF" -> ExifOrientation.ofTiff(bytes, 0, bytes.length);
            default -> 1;
        };
    }

    private static String formatOf(ImageReader reader) throws IOException {
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        return switch (format) {
            case "JPG" -> "JPEG";
            case "TIF" -> "TIFF";
            default -> format;
        };
    }

    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat") || w.contains("end of file")
                || w.contains("unexpected end");
    }

    private static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t.getMessage() != null && meansTruncated(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The most specific message in the cause chain, e.g. "Unexpected end of ZLIB input stream". */
    private static String describe(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            message = e instanceof EOFException || e.getCause() instanceof EOFException
                    ? "unexpected end of data" : e.getClass().getSimpleName();
        }
        return message;
    }

    private static String unknownFormat(byte[] bytes, String name) {
        StringBuilder sb = new StringBuilder(NotAnImage.describe(bytes));
        int dot = name == null ? -1 : name.lastIndexOf('.');
        if (dot >= 0 && dot < name.length() - 1) {
            // says why a file that looks like an image is refused
            sb.append(" although named ").append(name.substring(dot).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
