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
