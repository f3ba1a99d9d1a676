package dev.exemplar.summary;

import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/** One image to summarise: its name in the result, and how to read its bytes. */
public record Item(String name, Reader reader) {
    @FunctionalInterface
    public interface Reader {
        byte[] read() throws IOException;
    }

    /** What {@link #describeAll} made of each readable item, in input order, and why each other item failed. */
    public record Described<T>(List<Item> items, List<T> values, List<Result.ItemError> errors) { }

    /** What is made of an item's bytes; it decodes them itself. */
    @FunctionalInterface
    public interface Describer<T> {
        T describe(Item item, byte[] bytes) throws ImageError;
    }

    /**
     * Decodes every item in parallel and describes it; an item that cannot be read or described
     * becomes an error with its name, and the others go on.
     */
    public static <T> Described<T> describeAll(List<Item> items, ImageLoader loader, Progress progress,
                                               BiFunction<Item, BufferedImage, T> describe) {
        return describeAll(items, progress, (it, bytes) -> describe.apply(it, loader.load(bytes, it.name())));
    }

    /** As {@link #describeAll(List, ImageLoader, Progress, BiFunction)}, for describers that decode the bytes themselves. */
    public static <T> Described<T> describeAll(List<Item> items, Progress progress, Describer<T> describe) {
        return describeAll(items, progress, describe, (item, error) -> { });
    }

    /** As {@link #describeAll(List, Progress, Describer)}, telling {@code done} each item's error (null for none) as it ends. */
    static <T> Described<T> describeAll(List<Item> items, Progress progress, Describer<T> describe, BiConsumer<String, String> done) {
        int n = items.size();
        Object[] values = new Object[n];
        String[] errors = new String[n];
        progress.phase("features", n);
        IntStream.range(0, n).parallel().forEach(i -> {
            Item it = items.get(i);
            try {
                values[i] = describe.describe(it, it.reader().read());
            } catch (ImageError e) {
                errors[i] = e.getMessage();
            } catch (IOException e) {
                errors[i] = "cannot read: " + e.getMessage();
            } catch (RuntimeException e) {
                errors[i] = "cannot process: " + e;
            }
            done.accept(it.name(), values[i] == null ? errors[i] : null);
            progress.advance(1);
        });
        List<Item> ok = new ArrayList<>();
        List<T> described = new ArrayList<>();
        List<Result.ItemError> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (values[i] != null) {
                ok.add(items.get(i));
                @SuppressWarnings("unchecked") T v = (T) values[i];
                described.add(v);
            } else {
                failed.add(new Result.ItemError(items.get(i).name(), errors[i]));
            }
        }
        return new Described<>(ok, described, failed);
    }
}
