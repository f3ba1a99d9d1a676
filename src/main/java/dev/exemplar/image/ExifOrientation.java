package dev.exemplar.image;

import java.awt.image.BufferedImage;

/**
 * Reads the EXIF Orientation tag (1..8) and applies it to a decoded image.
 * The parser reads only IFD0 and checks every offset against the data, so missing or corrupt EXIF means 1.
 */
final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation stored in a JPEG's APP1 Exif segment, or 1. */
    static int ofJpeg(byte[] jpeg) {
        try {
            if (jpeg.length < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != 0xD8) {
                return 1;
            }
            int p = 2;
            while (p + 4 <= jpeg.length) {
                if (u8(jpeg, p) != 0xFF) {
                    return 1;
                }
                int marker = u8(jpeg, p + 1);
                if (marker == 0xFF) { // fill byte
                    p++;
                    continue;
                }
                if (marker == 0xDA || marker == 0xD9) { // image data starts: no metadata after it
                    return 1;
                }
                if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) { // markers without a length
                    p += 2;
                    continue;
                }
                int length = u16(jpeg, p + 2, true);
                int start = p + 4;
                int end = p + 2 + length;
                if (length < 2 || end > jpeg.length) {
                    return 1;
                }
                if (marker == 0xE1 && end - start > 6 && isExifHeader(jpeg, start)) {
                    return ofTiff(jpeg, start + 6, end);
                }
                p = end;
            }
        } catch (RuntimeException e) {
            // a parser bug must never make an image unusable: fall back to "no rotation"
        }
        return 1;
    }

    /** The orientation in IFD0 of TIFF-structured data in {@code data[start, end)}, or 1. */
    static int ofTiff(byte[] data, int start, int end) {
        try {
            return readIfd0(data, start, Math.min(end, data.length));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static int readIfd0(byte[] data, int start, int end) {
        if (end - start < 8) {
            return 1;
        }
        boolean bigEndian;
        if (data[start] == 'M' && data[start + 1] == 'M') {
            bigEndian = true;
        } else if (data[start] == 'I' && data[start + 1] == 'I') {
            bigEndian = false;
        } else {
            return 1;
        }
        if (u16(data, start + 2, bigEndian) != 42) {
            return 1;
        }
        long ifd = start + u32(data, start + 4, bigEndian);
        if (ifd + 2 > end) {
            return 1;
        }
        int count = u16(data, (int) ifd, bigEndian);
        for (int i = 0; i < count; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > end) {
                return 1;
            }
            int e = (int) entry;
            if (u16(data, e, bigEndian) == TAG_ORIENTATION) {
                int type = u16(data, e + 2, bigEndian);
                int value = type == 3 ? u16(data, e + 8, bigEndian) // SHORT, left-justified in the value field
                        : type == 4 ? (int) Math.min(u32(data, e + 8, bigEndian), 9) // LONG, written by a few tools
                        : 1;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /** Turns a TYPE_INT_RGB image the way its orientation tag says, so that it appears upright. */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] in = (int[]) src.getRaster().getDataElements(0, 0, w, h, null);
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] out = new int[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }             // mirrored
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }     // upside down
                    case 4 -> { sx = x; sy = h - 1 - y; }             // mirrored vertically
                    case 5 -> { sx = y; sy = x; }                     // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }             // needs 90 degrees clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }     // transversed
                    default -> { sx = w - 1 - y; sy = x; }            // 8: needs 90 degrees counter-clockwise
                }
                out[y * ow + x] = in[sy * w + sx];
            }
        }
        BufferedImage result = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        result.getRaster().setDataElements(0, 0, ow, oh, out);
        return result;
    }

    private static boolean isExifHeader(byte[] d, int p) {
        return d[p] == 'E' && d[p + 1] == 'x' && d[p + 2] == 'i' && d[p + 3] == 'f' && d[p + 4] == 0 && d[p + 5] == 0;
    }

    private static int u8(byte[] d, int p) {
        return d[p] & 0xFF;
    }

    private static int u16(byte[] d, int p, boolean bigEndian) {
        return bigEndian ? u8(d, p) << 8 | u8(d, p + 1) : u8(d, p + 1) << 8 | u8(d, p);
    }

    private static long u32(byte[] d, int p, boolean bigEndian) {
        return bigEndian
                ? (long) u16(d, p, true) << 16 | u16(d, p + 2, true)
                : (long) u16(d, p + 2, false) << 16 | u16(d, p, false);
    }
}
