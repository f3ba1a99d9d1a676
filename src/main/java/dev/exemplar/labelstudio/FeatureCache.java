package dev.exemplar.labelstudio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.exemplar.features.ImageFeatures;

/**
 * Recently used features in memory, by content hash, bounded by their size: a sync that follows
 * a webhook then reads only the new tasks' features from the database.
 */
public final class FeatureCache {
    private final Cache<String, ImageFeatures> cache;

    public FeatureCache(long maxBytes) {
        cache = Caffeine.newBuilder().maximumWeight(maxBytes).weigher((String k, ImageFeatures f) -> weight(f)).build();
    }

    ImageFeatures get(String hash) {
        return cache.getIfPresent(hash);
    }

    void put(String hash, ImageFeatures f) {
        cache.put(hash, f);
    }

    long size() {
        cache.cleanUp(); // eviction is otherwise done lazily
        return cache.estimatedSize();
    }

    static int weight(ImageFeatures f) {
        long floats = f.descriptor().length + 3L * f.thumbnail().l().length;
        if (f.keypoints() != null) floats += f.keypoints().xy().length + f.keypoints().descriptors().length;
        if (f.mirroredKeypoints() != null) floats += f.mirroredKeypoints().xy().length + f.mirroredKeypoints().descriptors().length;
        return (int) Math.min(Integer.MAX_VALUE, 4 * floats + 64);
    }
}
