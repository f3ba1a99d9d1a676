package dev.exemplar.testing;

import java.io.ByteArrayOutputStream;

/** Surgery on a JPEG's bytes, for the tests that make damaged or hostile files from good ones. */
public final class JpegBytes {
    private JpegBytes() { }

    /** Where the first marker {@code 0xFF m} after the start of image lies, or -1. */
    public static int find(byte[] jpeg, int m) {
        for (int i = 2; i < jpeg.length - 1; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == m) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #find}, for a marker the file must have. */
    public static int marker(byte[] jpeg, int m) {
        int at = find(jpeg, m);
        if (at < 0) throw new AssertionError("marker not found");
        return at;
    }

    /** The JPEG with its first scan (segment and entropy-coded data) written {@code copies} times. */
    public static byte[] repeatedScans(byte[] jpeg, int copies) {
        int sos = marker(jpeg, 0xDA);
        int eoi = jpeg.length - 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, sos);
        for (int i = 0; i < copies; i++) {
            out.write(jpeg, sos, eoi - sos);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }
}
