package dev.exemplar.report;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Renders an item for the report; may return null when the item has no picture to show. */
@FunctionalInterface
public interface ThumbnailSource {
    BufferedImage thumbnail(String item) throws IOException;
}
