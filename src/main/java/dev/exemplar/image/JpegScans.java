package dev.exemplar.image;

/**
 * Counts the scans (SOS markers) of a JPEG from its bytes, before any decoder sees it. A progressive JPEG may
 * repeat scans without end: each one makes the decoder pass over the whole coefficient buffer again, and neither
 * libjpeg-turbo (whose decode cannot be interrupted) nor ImageIO (which absorbs every scan before it checks for an
 * abort) bounds their number, so a small file could hold a decoder for many minutes.
 */
final class JpegScans {
    private JpegScans() {
    }

    /**
     * The number of SOS markers, counting no further than {@code limit + 1}. Segments are followed by their
     * lengths, so a JPEG embedded in an APP segment (an EXIF thumbnail) is not counted; in entropy-coded data a
     * 0xFF byte is followed by 0x00 (stuffing), a restart marker or the next marker.
     */
    static int count(byte[] jpeg, int limit) {
        int scans = 0;
        int p = 2;
        int n = jpeg.length;
        while (p + 1 < n) {
            if ((jpeg[p] & 0xFF) != 0xFF) {
                return scans; // not a layout we can follow: the decoder will say what is wrong
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xD9) {
                return scans;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                p += 2;
                continue;
            }
            if (p + 3 >= n) {
                return scans;
            }
            int end = p + 2 + ((jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF);
            if (marker != 0xDA) {
                p = end;
                continue;
            }
            if (++scans > limit) {
                return scans;
            }
            // entropy-coded data up to the next marker that is neither stuffing nor a restart
            p = end;
            while (p + 1 < n) {
                if ((jpeg[p] & 0xFF) == 0xFF) {
                    int next = jpeg[p + 1] & 0xFF;
                    if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) {
                        break;
                    }
                }
                p++;
            }
        }
        return scans;
    }
}
