package dev.exemplar.spark;

import dev.exemplar.features.FeatureCodec;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import org.apache.spark.input.PortableDataStream;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The engine's features of a partition of files, computed once, before the items are placed by similarity. They travel
 * as the engine's own encoding (descriptor, thumbnail, keypoints), which is what a shuffle can carry.
 */
final class Features {
    /** One item's features, encoded by {@link FeatureCodec}. */
    record Described(String name, float[] descriptor, byte[] thumbnail, byte[] keypoints) implements Serializable {
        static Described of(String name, ImageFeatures f) {
            return new Described(name, f.descriptor(), FeatureCodec.thumbnail(f), FeatureCodec.keypoints(f));
        }

        ImageFeatures features() {
            return FeatureCodec.decode(descriptor, thumbnail, keypoints);
        }
    }

    /** A partition's readable items and the errors of the others. */
    record Batch(List<Described> items, List<LocalOrder.Failure> errors) implements Serializable {
        int files() {
            return items.size() + errors.size();
        }
    }

    private Features() { }

    static Batch of(Iterator<Tuple2<String, PortableDataStream>> files) {
        Pipeline.Options o = Pipeline.Options.defaults();
        List<Item> items = new ArrayList<>();
        files.forEachRemaining(f -> items.add(new Item(f._1(), () -> f._2().toArray())));
        Item.Described<ImageFeatures> d = Item.describeAll(items, Progress.NONE, (it, bytes) -> ImageFeatures.of(bytes, it.name(), o.loader()));
        List<Described> out = new ArrayList<>(d.items().size());
        for (int i = 0; i < d.items().size(); i++) out.add(Described.of(d.items().get(i).name(), d.values().get(i)));
        return new Batch(out, d.errors().stream().map(e -> new LocalOrder.Failure(e.item(), e.error())).toList());
    }
}
