package dev.exemplar.image;

/**
 * A small square image in CIE L*a*b*, area-averaged from the decoded picture.
 * Planes are row-major, {@code size * size} values each: L in [0, 100], a and b roughly in [-128, 127].
 */
public record Thumbnail(int size, float[] l, float[] a, float[] b) {
    public Thumbnail {
        int n = size * size;
        if (l.length != n || a.length != n || b.length != n) {
            throw new IllegalArgumentException("planes must hold size*size values");
        }
    }
}
