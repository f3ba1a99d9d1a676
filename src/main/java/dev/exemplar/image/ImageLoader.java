package dev.exemplar.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import java.awt.image.BufferedImage;
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
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file into an upright TYPE_INT_RGB picture, small enough to summarise.
 * <p>
 * Bad input never escapes as anything but {@link ImageError}: the pixel count is checked from the header before
 * any pixel is decoded, large pictures are subsampled while decoding, and truncated data is reported instead of
 * returning a partly grey picture. Instances are immutable and may be shared between threads.
 */
public final class ImageLoader {
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** Decoded size cap for extreme aspect ratios, where keeping the short side long would keep everything. */
    private static final long MAX_DECODED_PIXELS = 1L << 24;

    static {
        // registers the TwelveMonkeys readers (CMYK JPEG, WebP, TIFF, BMP) found on the class path
        ImageIO.scanForPlugins();
        // everything is read from memory: no temporary files
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;
    private final int minSide;

    /**
     * @param maxPixels images whose header declares more pixels are refused before decoding
     * @param minSide   large images are subsampled while decoding, keeping the short side at least this long
     */
    public ImageLoader(long maxPixels, int minSide) {
        if (maxPixels < 1 || minSide < 1) {
            throw new IllegalArgumentException("maxPixels and minSide must be positive");
        }
        this.maxPixels = maxPixels;
        this.minSide = minSide;
    }

    /** 100 million pixels at most; short side kept at 256 pixels or more. */
    public static ImageLoader defaults() {
        return new ImageLoader(100_000_000L, 256);
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
        if (bytes.length == 0) {
            throw new ImageError("empty file (0 bytes)");
        }
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageError(unknownFormat(bytes, name));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                BufferedImage decoded = decode(reader, formatOf(reader), bytes);
                BufferedImage rgb = Rgb.toIntRgb(decoded);
                return ExifOrientation.apply(rgb, orientation(bytes, reader));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // only closing an in-memory stream can get here
            throw new ImageError("cannot read image data: " + describe(e), e);
        } catch (RuntimeException e) {
            // a plugin that fails while probing the format
            throw new ImageError("cannot decode image: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            // pixels are bounded, but many large images may be loading at once
            throw new ImageError("not enough memory to load this image", e);
        }
    }

    private BufferedImage decode(ImageReader reader, String format, byte[] bytes) throws ImageError {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        try {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            long pixels = (long) w * h;
            if (w <= 0 || h <= 0) {
                throw new ImageError("image declares " + w + " x " + h + " pixels, which is not a picture");
            }
            if (pixels > maxPixels) {
                throw new ImageError("image declares " + w + " x " + h + " pixels (" + pixels
                        + "), above the limit of " + maxPixels);
            }
            BufferedImage image = reader.read(0, readParam(reader, w, h));
            for (String warning : warnings) {
                if (meansTruncated(warning)) {
                    throw new ImageError("image data truncated: " + warning);
                }
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // decoders also throw IndexOutOfBounds, IllegalArgument, NegativeArraySize ... on malformed data
            throw failure(e, format, bytes);
        } catch (OutOfMemoryError e) {
            throw new ImageError("cannot decode " + format + ": not enough memory", e);
        } finally {
            reader.removeIIOReadWarningListener(listener);
        }
    }

    private static ImageError failure(Exception e, String format, byte[] bytes) {
        String cut = Truncation.of(format, bytes);
        if (cut != null) {
            return new ImageError("image data truncated: " + cut, e);
        }
        if (isTruncation(e)) {
            return new ImageError("image data truncated: " + describe(e), e);
        }
        return new ImageError("cannot decode " + format + ": " + describe(e), e);
    }

    private ImageReadParam readParam(ImageReader reader, int w, int h) {
        ImageReadParam param = reader.getDefaultReadParam();
        // decoding every n-th pixel keeps memory and time bounded for large photos; the summary needs far fewer
        int step = Math.max(1, Math.min(w, h) / minSide);
        while ((long) (w / step) * (h / step) > MAX_DECODED_PIXELS) {
            step++;
        }
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        return param;
    }

    private static int orientation(byte[] bytes, ImageReader reader) throws IOException {
        return switch (formatOf(reader)) {
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
        StringBuilder sb = new StringBuilder("not a recognised image format (starts with");
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format(" 0x%02x", bytes[i] & 0xFF));
        }
        sb.append(')');
        int dot = name == null ? -1 : name.lastIndexOf('.');
        if (dot >= 0 && dot < name.length() - 1) {
            // says why a file that looks like an image is refused
            sb.append(" although named ").append(name.substring(dot).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
