package dev.exemplar.image;

import java.nio.charset.StandardCharsets;

/**
 * Tells whether a file that failed to decode was cut short, from its container layout: decoders report this
 * with messages such as "Invalid chunk length" or "Image format error" that do not say so.
 */
final class Truncation {
    private static final int SIGNATURE = 8;

    private Truncation() {
    }

    /** How the file ends too early, or null if its layout is complete or the format is not checked. */
    static String of(String format, byte[] bytes) {
        try {
            return switch (format) {
                case "PNG" -> png(bytes);
                case "JPEG" -> jpegHeader(bytes);
                case "GIF" -> gif(bytes);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Checks the segments before the image data (SOS); the entropy-coded data itself has no lengths. */
    private static String jpegHeader(byte[] jpeg) {
        int p = 2;
        while (p + 4 <= jpeg.length) {
            int marker = jpeg[p + 1] & 0xFF;
            if ((jpeg[p] & 0xFF) != 0xFF) {
                return null; // not a layout we can follow: let the decoder's message stand
            }
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                p += 2;
                continue;
            }
            int end = p + 2 + ((jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF);
            if (end > jpeg.length) {
                return "file ends inside the JPEG header (segment at byte " + p + " needs " + (end - p)
                        + " bytes, " + (jpeg.length - p) + " present)";
            }
            if (marker == 0xDA) {
                return end == jpeg.length ? "file ends where the image data should start" : null;
            }
            p = end;
        }
        return "file ends inside the JPEG header at byte " + jpeg.length;
    }

    /**
     * Follows the first frame's blocks: the LZW data is a chain of sub-blocks ended by a zero-length one, which a
     * truncated file never reaches. ImageIO's GIF reader fills what is missing with zeros, without a word.
     */
    private static String gif(byte[] gif) {
        int n = gif.length;
        if (n < 13) {
            return "file ends inside the GIF header at byte " + n;
        }
        int p = 13;
        if ((gif[10] & 0x80) != 0) {
            p += 3 * (1 << ((gif[10] & 7) + 1)); // global colour table
        }
        while (p < n) {
            int block = gif[p] & 0xFF;
            if (block == 0x21) { // extension: label, then sub-blocks
                p = subBlocks(gif, p + 2);
                if (p < 0) {
                    return "file ends inside an extension block";
                }
            } else if (block == 0x2C) { // image descriptor
                if (p + 10 > n) {
                    return "file ends inside the image descriptor at byte " + n;
                }
                int flags = gif[p + 9] & 0xFF;
                p += 10;
                if ((flags & 0x80) != 0) {
                    p += 3 * (1 << ((flags & 7) + 1)); // local colour table
                }
                p = subBlocks(gif, p + 1); // after the LZW minimum code size
                return p < 0 ? "file ends inside the image data (" + n + " bytes present)" : null;
            } else {
                return null; // the trailer, or a layout we cannot follow: let the decoder's result stand
            }
        }
        return "file ends before the image data at byte " + n;
    }

    /** The position after a chain of sub-blocks starting at p, or -1 if the file ends first. */
    private static int subBlocks(byte[] gif, int p) {
        while (p < gif.length) {
            int size = gif[p] & 0xFF;
            if (size == 0) {
                return p + 1;
            }
            p += 1 + size;
        }
        return -1;
    }

    private static String png(byte[] png) {
        int p = SIGNATURE;
        while (p < png.length) {
            if (p + 8 > png.length) {
                return "file ends inside a chunk header at byte " + png.length;
            }
            long length = (png[p] & 0xFFL) << 24 | (png[p + 1] & 0xFF) << 16 | (png[p + 2] & 0xFF) << 8
                    | png[p + 3] & 0xFF;
            String type = new String(png, p + 4, 4, StandardCharsets.ISO_8859_1);
            long end = p + 12 + length; // length, type, data, CRC
            if (end > png.length) {
                return "file ends inside chunk " + printable(type) + " (" + Math.min(length, png.length - p - 8) + " of "
                        + length + " data bytes present)";
            }
            if (type.equals("IEND")) {
                return null;
            }
            p = (int) end;
        }
        return "file ends without an IEND chunk";
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') ? type : "?";
    }
}
