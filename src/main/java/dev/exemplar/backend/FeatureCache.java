package dev.exemplar.backend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.LocalFeatures;

/**
 * Recently used features in memory, as a run reads them (without keypoints, which stay in the store), by content
 * hash and bounded by their size: a sync that follows a webhook then reads only the new tasks' features from the
 * database.
 */
final class FeatureCache {
    /** An image's features as a run reads them, and whether the store holds its keypoints: a photograph. */
    record Entry(ImageFeatures features, boolean photograph) { }

    private final Cache<String, Entry> cache;

    FeatureCache(long maxBytes) {
        cache = Caffeine.newBuilder().maximumWeight(maxBytes).weigher((String k, Entry e) -> weight(e.features())).build();
    }

    /** @param key the content hash and what the run compares items by: the features kept differ with it */
    Entry get(String key) {
        return cache.getIfPresent(key);
    }

    void put(String key, Entry e) {
        cache.put(key, e);
    }

    long size() {
        cache.cleanUp(); // eviction is otherwise done lazily
        return cache.estimatedSize();
    }

    static int weight(ImageFeatures f) {
        long bytes = 4L * (f.descriptor().length + 3L * f.thumbnail().l().length) + 64
                + LocalFeatures.Keypoints.bytes(f.keypoints(), f.mirroredKeypoints());
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
