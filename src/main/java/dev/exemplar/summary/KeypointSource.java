package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.LocalFeatures;

import java.util.List;

/**
 * Where scene verification finds the keypoints of an item and of its mirror image, by the item's index: they are
 * the larger part of a photograph's features, so a large run reads them a pair at a time from where they are kept
 * rather than holding them all. Called from many threads at once.
 */
public interface KeypointSource {
    /** Whether the item has keypoints: a photograph. */
    boolean has(int item);

    /** The item's keypoints, or null. */
    LocalFeatures.Keypoints keypoints(int item);

    /** Its mirror image's, or null. */
    LocalFeatures.Keypoints mirrored(int item);

    /** The keypoints the features themselves hold. */
    static KeypointSource of(List<ImageFeatures> features) {
        return new KeypointSource() {
            @Override
            public boolean has(int item) {
                return features.get(item).keypoints() != null;
            }

            @Override
            public LocalFeatures.Keypoints keypoints(int item) {
                return features.get(item).keypoints();
            }

            @Override
            public LocalFeatures.Keypoints mirrored(int item) {
                return features.get(item).mirroredKeypoints();
            }
        };
    }
}
