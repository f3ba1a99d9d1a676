package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.Thumbnail;

import java.util.List;
import java.util.function.IntFunction;

/**
 * What a run compares of its items, kept in temporary files (deleted on close) rather than the heap: each item's
 * descriptor, joined with its embedding if any, and its compared thumbnail; 28 KB a photograph and 17 KB the
 * smallest image, whatever else a run keeps. In memory there remains about half a kilobyte an item, so a million
 * small images order in the heap a few large ones need to be decoded. Items are put at slots from any thread, then
 * read by slot; several items may share a slot (copies of one image).
 */
public final class FeatureFiles implements AutoCloseable {
    private final Pipeline.Options options;
    private final int embeddingLength;
    private final RowFile rows = RowFile.create();
    /** Null unless the items are compared by more than their descriptors: the rows the graph and the links read. */
    private final RowFile compared;
    /** Null when the thumbnails stay in memory: the wavelet features read every whole thumbnail at once. */
    private final ThumbnailFile thumbnails;

    private FeatureFiles(int slots, Pipeline.Options options) {
        this.options = options;
        this.embeddingLength = Pipeline.embeddingLength(options);
        this.thumbnails = options.features() == FeatureMethod.WAVELET ? null : ThumbnailFile.create(slots);
        this.compared = options.features() == FeatureMethod.LEARNED ? RowFile.create() : null;
    }

    /** Files for this many slots, for a run with these options. */
    public static FeatureFiles create(int slots, Pipeline.Options options) {
        return new FeatureFiles(slots, options);
    }

    /**
     * Keeps the named item's descriptor and thumbnail at a slot, and returns what the run holds of it in memory.
     * @param kept the item's features as a run keeps them ({@link Pipeline#kept})
     */
    public ImageFeatures put(int slot, String name, ImageFeatures kept) {
        return put(slot, name, kept, null);
    }

    /** As {@link #put(int, String, ImageFeatures)}, with the item's learned features ({@link FeatureMethod#LEARNED}). */
    public ImageFeatures put(int slot, String name, ImageFeatures kept, float[] learned) {
        float[] embedding = options.embeddings().get(name);
        rows.put(slot, Pipeline.join(kept.descriptor(), embedding, embeddingLength));
        if (compared != null) {
            if (learned == null) throw new IllegalArgumentException("no learned features for " + name);
            compared.put(slot, Pipeline.join(Pipeline.withLearned(kept.descriptor(), learned), embedding, embeddingLength));
        }
        ImageFeatures held = kept.withoutDescriptor();
        if (thumbnails == null) return held;
        thumbnails.put(slot, held.thumbnail());
        return held.withThumbnail(null);
    }

    /** The rows of the items at these slots, by position in that list. */
    Rows rows(int[] slots) {
        return rows.rows(slots).embedded(embeddingLength);
    }

    /** The rows the graph and the links compare of the items at these slots: {@link #rows} unless more is compared. */
    Rows compared(int[] slots) {
        return (compared == null ? rows.rows(slots) : compared.rows(slots)).embedded(embeddingLength);
    }

    /** The thumbnails of the items at these slots, by position; {@code held} is what {@link #put} returned for each. */
    IntFunction<Thumbnail> thumbnails(int[] slots, List<ImageFeatures> held) {
        return thumbnails == null ? i -> held.get(i).thumbnail() : thumbnails.of(slots);
    }

    @Override
    public void close() {
        rows.close();
        if (compared != null) compared.close();
        if (thumbnails != null) thumbnails.close();
    }
}
