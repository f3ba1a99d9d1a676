package dev.exemplar.image;

import com.twelvemonkeys.imageio.color.ColorSpaces;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The ICC colour profile a JPEG carries in its APP2 segments. ImageIO (through TwelveMonkeys) converts the colours
 * of a JPEG whose profile is not sRGB; libjpeg-turbo does not, so such a JPEG is decoded by ImageIO.
 */
final class IccProfile {
    private static final byte[] SIGNATURE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private IccProfile() {
    }

    /** Whether the JPEG's colours must be converted to sRGB: it has a profile, and not sRGB's (or an unreadable one). */
    static boolean convertsColours(byte[] jpeg) {
        byte[] profile;
        try {
            profile = ofJpeg(jpeg);
        } catch (RuntimeException e) {
            return true;
        }
        if (profile == null) return false;
        try {
            return !ColorSpaces.isCS_sRGB(ICC_Profile.getInstance(profile));
        } catch (RuntimeException e) {
            return true; // TwelveMonkeys decides what a damaged profile means
        }
    }

    /** The profile's bytes, its chunks joined in their order, or null when the JPEG has none. */
    static byte[] ofJpeg(byte[] jpeg) {
        TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) break; // image data: no metadata after it
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) { // markers without a length
                p += 2;
                continue;
            }
            int end = p + 2 + ((jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF);
            if (end > jpeg.length) break;
            int start = p + 4;
            if (marker == 0xE2 && end - start > SIGNATURE.length + 2
                    && Arrays.equals(jpeg, start, start + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                int sequence = jpeg[start + SIGNATURE.length] & 0xFF;
                chunks.put(sequence, Arrays.copyOfRange(jpeg, start + SIGNATURE.length + 2, end));
            }
            p = end;
        }
        if (chunks.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.values().forEach(out::writeBytes);
        return out.toByteArray();
    }
}
