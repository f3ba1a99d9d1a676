package dev.exemplar.spark;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.FeatureCodec;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.Vectors;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import org.apache.spark.input.PortableDataStream;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The engine's features of a partition of files, computed once, before the items are placed by similarity. They travel
 * as the engine's own encoding (descriptor, thumbnail, keypoints), which is what a shuffle can carry. An item of a
 * table of vectors travels as its vector alone.
 */
final class Features {
    /**
     * One item's features, encoded by {@link FeatureCodec}, and its vector of {@code --embeddings} (null for none) with
     * the length every item's row gives it ({@code embedded}, 0 without a file): the engine joins the two itself, as a
     * single-machine run does.
     */
    record Described(String name, float[] descriptor, byte[] thumbnail, byte[] keypoints, float[] embedding, int embedded)
            implements Serializable {
        static Described of(String name, ImageFeatures f, float[] embedding, int embedded) {
            return new Described(name, f.descriptor(), FeatureCodec.thumbnail(f), FeatureCodec.keypoints(f), embedding, embedded);
        }

        /** An item known only by a vector of precomputed features, made unit length as the engine's are. */
        static Described ofVector(String name, float[] vector) {
            return new Described(name, Vectors.unit(vector), null, null, null, 0);
        }

        /** The row it is compared by: its descriptor joined with its embedding, or with zeros where it has none. */
        float[] row() {
            return Embeddings.join(descriptor, embedding, embedded);
        }

        ImageFeatures features() {
            return thumbnail == null ? ImageFeatures.ofVector(descriptor) : FeatureCodec.decode(descriptor, thumbnail, keypoints);
        }
    }

    /** A partition's readable items and the errors of the others. */
    record Batch(List<Described> items, List<LocalOrder.Failure> errors) implements Serializable {
        int files() {
            return items.size() + errors.size();
        }
    }

    private Features() { }

    /** A partition of files, each image with its vector of {@code embeddings}, if any. */
    static Batch of(Iterator<Tuple2<String, PortableDataStream>> files, Map<String, float[]> embeddings) {
        List<Item> items = new ArrayList<>();
        files.forEachRemaining(f -> items.add(new Item(f._1(), () -> f._2().toArray())));
        return of(items, embeddings);
    }

    /** As {@link #of(Iterator, Map)}, for items that read their bytes themselves. */
    static Batch of(List<Item> items, Map<String, float[]> embeddings) {
        Pipeline.Options o = Pipeline.Options.defaults();
        Item.Described<ImageFeatures> d = Item.describeAll(items, Progress.NONE, (it, bytes) -> ImageFeatures.of(bytes, it.name(), o.loader()));
        // every vector of an embeddings file has one length (the engine's reader checks): the length joined
        int dim = embeddings.values().stream().mapToInt(v -> v.length).max().orElse(0);
        List<Described> out = new ArrayList<>(d.items().size());
        for (int i = 0; i < d.items().size(); i++) {
            String name = d.items().get(i).name();
            out.add(Described.of(name, d.values().get(i), embeddings.get(name), dim));
        }
        return new Batch(out, d.errors().stream().map(e -> new LocalOrder.Failure(e.item(), e.error())).toList());
    }
}
