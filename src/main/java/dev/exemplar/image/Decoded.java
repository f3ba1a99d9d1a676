package dev.exemplar.image;

import java.awt.image.BufferedImage;

/**
 * A decoded picture, upright, with the upright size of the whole image and the scale it was decoded at. A picture
 * decoded at a reduced scale rounds its sides up, so its last row and column stand for less of the image than the
 * others; the scale says how much, and what is a photograph or a copy depends on the whole image's size.
 *
 * @param scale picture pixels per image pixel along either side: 1 for the whole image, 1/2 at half scale
 */
public record Decoded(BufferedImage image, int width, int height, double scale) {
    /** Width over height of the whole image. */
    public double aspect() {
        return (double) width / height;
    }

    /** Whether the picture holds every pixel of the image. */
    public boolean whole() {
        return image.getWidth() == width && image.getHeight() == height;
    }
}
