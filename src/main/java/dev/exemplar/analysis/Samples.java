package dev.exemplar.analysis;

import dev.exemplar.features.Descriptor;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/** Decodes items into {@link Sample}s in parallel; an item that cannot be read becomes an error with its name. */
public final class Samples {
    /** Below this short side an image is a drawing or an icon rather than a photograph (as in the engine's features). */
    static final int PHOTOGRAPH_MIN_SIDE = 160;

    public record Decoded(List<Sample> samples, List<Result.ItemError> errors) { }

    private Samples() { }

    /** @param labelOf the class of an item by name */
    public static Decoded read(List<Item> items, Function<String, String> labelOf, ImageLoader loader, Progress progress) {
        int n = items.size();
        Sample[] samples = new Sample[n];
        String[] errors = new String[n];
        progress.phase("features", n);
        IntStream.range(0, n).parallel().forEach(i -> {
            Item it = items.get(i);
            try {
                BufferedImage img = loader.load(it.reader().read(), it.name());
                samples[i] = of(it.name(), labelOf.apply(it.name()), img);
            } catch (ImageError e) {
                errors[i] = e.getMessage();
            } catch (IOException e) {
                errors[i] = "cannot read: " + e.getMessage();
            } catch (RuntimeException e) {
                errors[i] = "cannot process: " + e;
            }
            progress.advance(1);
        });
        List<Sample> ok = new ArrayList<>();
        List<Result.ItemError> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (samples[i] != null) ok.add(samples[i]);
            else failed.add(new Result.ItemError(items.get(i).name(), errors[i]));
        }
        return new Decoded(ok, failed);
    }

    public static Sample of(String name, String label, BufferedImage img) {
        Thumbnail t = Thumbnails.lab(img, ImageFeatures.THUMBNAIL);
        return new Sample(name, label, t, Descriptor.of(t, Descriptor.Weights.DEFAULT), (double) img.getWidth() / img.getHeight(),
                Math.min(img.getWidth(), img.getHeight()) >= PHOTOGRAPH_MIN_SIDE);
    }
}
