package dev.exemplar.backend;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.Thumbnail;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureCacheTest {
    static ImageFeatures features() {
        Thumbnail t = new Thumbnail(64, new float[4096], new float[4096], new float[4096]);
        return new ImageFeatures(new float[1000], t, null, null, 1, 1);
    }

    @Test
    void keepsNoMoreThanItsByteBoundAllows() {
        int one = FeatureCache.weight(features());
        FeatureCache cache = new FeatureCache(3L * one);
        for (int i = 0; i < 20; i++) cache.put("h" + i, new FeatureCache.Entry(features(), true));

        assertThat(cache.size()).isBetween(1L, 3L);
        assertThat(one).as("descriptor and three planes in float32").isGreaterThan(4 * (1000 + 3 * 4096));
    }

    @Test
    void givesBackWhatItHolds() {
        FeatureCache cache = new FeatureCache(1L << 20);
        FeatureCache.Entry f = new FeatureCache.Entry(features(), false);
        cache.put("a", f);

        assertThat(cache.get("a")).isSameAs(f);
        assertThat(cache.get("b")).isNull();
    }
}
