package dev.exemplar.analysis;

import dev.exemplar.features.Descriptor;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Function;

/** Decodes items into {@link Sample}s in parallel; an item that cannot be read becomes an error with its name. */
final class Samples {
    /** Below this short side an image is a drawing or an icon rather than a photograph (as in the engine's features). */
    static final int PHOTOGRAPH_MIN_SIDE = 160;

    record Decoded(List<Sample> samples, List<Result.ItemError> errors) { }

    private Samples() { }

    /** @param labelOf the class of an item by name */
    static Decoded read(List<Item> items, Function<String, String> labelOf, ImageLoader loader, Progress progress) {
        Item.Described<Sample> d = Item.describeAll(items, loader, progress, (it, img) -> of(it.name(), labelOf.apply(it.name()), img));
        return new Decoded(d.values(), d.errors());
    }

    static Sample of(String name, String label, BufferedImage img) {
        Thumbnail t = Thumbnails.lab(img, ImageFeatures.THUMBNAIL);
        return new Sample(name, label, t, Descriptor.of(t, Descriptor.Weights.DEFAULT), (double) img.getWidth() / img.getHeight(),
                Math.min(img.getWidth(), img.getHeight()) >= PHOTOGRAPH_MIN_SIDE);
    }
}
