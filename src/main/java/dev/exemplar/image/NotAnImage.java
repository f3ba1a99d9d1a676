package dev.exemplar.image;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Words why a file no image reader recognises is refused, without quoting it: the file may be anything the user
 * pointed at (notes, keys, a database), so the message names its kind by its magic number, says "text", or shows
 * at most four leading bytes in hex, and never bytes that read as text.
 */
final class NotAnImage {
    private NotAnImage() { }

    private record Signature(int offset, byte[] magic, String kind) {
        boolean matches(byte[] bytes) {
            return bytes.length >= offset + magic.length
                    && Arrays.equals(bytes, offset, offset + magic.length, magic, 0, magic.length);
        }
    }

    private static final Signature[] SIGNATURES = {
        new Signature(0, ascii("%PDF"), "a PDF"),
        new Signature(0, bytes(0x50, 0x4B, 0x03, 0x04), "a ZIP archive"),
        new Signature(0, bytes(0x50, 0x4B, 0x05, 0x06), "a ZIP archive"),
        new Signature(0, bytes(0x1F, 0x8B), "a gzip archive"),
        new Signature(0, bytes(0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C), "a 7-Zip archive"),
        new Signature(0, ascii("Rar!"), "a RAR archive"),
        new Signature(0, bytes(0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00), "an xz archive"),
        new Signature(0, bytes(0x28, 0xB5, 0x2F, 0xFD), "a zstd archive"),
        new Signature(257, ascii("ustar"), "a tar archive"),
        new Signature(0, ascii("SQLite format 3\0"), "an SQLite database"),
        new Signature(0, bytes(0x7F, 0x45, 0x4C, 0x46), "an ELF executable"),
        new Signature(0, ascii("MZ"), "a Windows executable"),
        new Signature(0, bytes(0xCA, 0xFE, 0xBA, 0xBE), "a Java class or Mach-O file"),
        new Signature(0, bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1), "an Office document"),
        new Signature(0, bytes(0xFF, 0xFE), "text"), // UTF-16 byte order marks
        new Signature(0, bytes(0xFE, 0xFF), "text"),
        new Signature(4, ascii("ftyp"), "an ISO media file (MP4, MOV, HEIC or AVIF)"),
        new Signature(0, bytes(0x1A, 0x45, 0xDF, 0xA3), "a Matroska or WebM video"),
        new Signature(0, ascii("ID3"), "an MP3 audio file"),
        new Signature(0, ascii("OggS"), "an Ogg media file"),
        new Signature(0, ascii("fLaC"), "a FLAC audio file"),
        new Signature(8, ascii("WAVE"), "a WAVE audio file"),
        new Signature(8, ascii("AVI "), "an AVI video"),
    };

    /** How much of the file decides whether it is text. */
    private static final int TEXT_SAMPLE = 512;

    static String describe(byte[] bytes) {
        StringBuilder sb = new StringBuilder("not an image file");
        String kind = kindOf(bytes);
        if (kind != null) {
            sb.append(": ").append(kind);
        } else if (startsReadable(bytes)) {
            sb.append(" (starts with readable characters)");
        } else {
            sb.append(" (starts with bytes");
            for (int i = 0; i < Math.min(4, bytes.length); i++) {
                sb.append(String.format(" %02x", bytes[i] & 0xFF));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static String kindOf(byte[] bytes) {
        for (Signature s : SIGNATURES) {
            if (s.matches(bytes)) {
                return s.kind;
            }
        }
        return isText(bytes) ? "text" : null;
    }

    /** UTF-8 (ASCII included) without control characters other than white space, judged by its start. */
    private static boolean isText(byte[] bytes) {
        int end = Math.min(bytes.length, TEXT_SAMPLE);
        if (end < bytes.length) {
            // the sample may cut a multi-byte character: leave out its unfinished start
            int back = end - 1;
            while (back > end - 4 && back > 0 && (bytes[back] & 0xC0) == 0x80) {
                back--;
            }
            if ((bytes[back] & 0xC0) == 0xC0) {
                end = back;
            }
        }
        try {
            CharSequence chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
            return chars.length() > 0 && chars.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F
                    || c == '\t' || c == '\n' || c == '\r' || c == '\f');
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether two or more of the bytes a hex dump would show are printable: they could spell a word of the file. */
    private static boolean startsReadable(byte[] bytes) {
        int printable = 0;
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            if (bytes[i] >= 0x20 && bytes[i] <= 0x7E) {
                printable++;
            }
        }
        return printable >= 2;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
