package dev.exemplar.labelstudio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.LocalFeatures;

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
        long bytes = 4L * (f.descriptor().length + 3L * f.thumbnail().l().length) + 64;
        for (var k : new LocalFeatures.Keypoints[] {f.keypoints(), f.mirroredKeypoints()}) {
            if (k != null) bytes += 4L * k.xy().length + k.descriptors().length;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
