package dev.exemplar.store;

import dev.exemplar.store.FeatureStore.Features;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureStoreTest {
    @TempDir Path dir;

    private static Features features(long seed, boolean keypoints) {
        Random r = new Random(seed);
        float[] descriptor = new float[300];
        for (int i = 0; i < descriptor.length; i++) descriptor[i] = (float) r.nextGaussian();
        descriptor[0] = -0f;
        descriptor[1] = Float.NaN;
        float[] l = new float[32 * 32], a = new float[32 * 32], b = new float[32 * 32];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextFloat() * 100;
            a[i] = r.nextFloat() * 255 - 128;
            b[i] = r.nextFloat() * 255 - 128;
        }
        byte[] kp = null;
        if (keypoints) {
            kp = new byte[1000];
            r.nextBytes(kp);
        }
        return new Features(3, descriptor, Blobs.fromFloats(l, a, b), kp);
    }

    private static void assertSame(Features actual, Features expected) {
        assertThat(actual.formatVersion()).isEqualTo(expected.formatVersion());
        assertThat(Blobs.fromFloats(actual.descriptor())).isEqualTo(Blobs.fromFloats(expected.descriptor()));
        assertThat(actual.thumbnail()).isEqualTo(expected.thumbnail());
        assertThat(actual.keypoints()).isEqualTo(expected.keypoints());
    }

    @Test
    void featuresComeBackBitExactAfterARestart() {
        Features f = features(1, true), g = features(2, false);
        try (Store store = Store.open(dir)) {
            store.features().put("aa11", f);
            store.features().put("bb22", g);
            assertSame(store.features().get("aa11", 3).orElseThrow(), f);
        }
        try (Store store = Store.open(dir)) {
            assertSame(store.features().get("aa11", 3).orElseThrow(), f);
            Features back = store.features().get("bb22", 3).orElseThrow();
            assertSame(back, g);
            assertThat(back.keypoints()).isNull();
        }
    }

    @Test
    void bulkGetReturnsWhatIsThereAndLeavesOutTheRest() {
        Map<String, Features> many = new HashMap<>();
        for (int i = 0; i < 1200; i++) many.put("h" + i, features(i, false)); // more than one query chunk
        try (Store store = Store.open(dir)) {
            store.features().putAll(many);
            List<String> wanted = new java.util.ArrayList<>(many.keySet());
            wanted.add("unknown");
            wanted.add("h5"); // asked twice
            Map<String, Features> got = store.features().getAll(wanted, 3);
            assertThat(got).hasSize(1200).doesNotContainKey("unknown");
            assertSame(got.get("h777"), many.get("h777"));
            assertThat(store.features().getAll(List.of(), 3)).isEmpty();
        }
    }

    @Test
    void globalFeaturesAreReadWithoutKeypointsWhichComeOneImageAtATime() {
        Features photo = features(1, true), drawing = features(2, false);
        try (Store store = Store.open(dir)) {
            store.features().putAll(Map.of("photo", photo, "drawing", drawing));
            Map<String, FeatureStore.Global> got = store.features().globals(List.of("photo", "drawing", "unknown"), 3);

            assertThat(got).containsOnlyKeys("photo", "drawing");
            assertThat(got.get("photo").photograph()).isTrue();
            assertThat(got.get("drawing").photograph()).isFalse();
            assertThat(got.get("photo").thumbnail()).isEqualTo(photo.thumbnail());
            assertThat(store.features().keypoints("photo", 3)).isEqualTo(photo.keypoints());
            assertThat(store.features().keypoints("drawing", 3)).isNull();
            assertThat(store.features().keypoints("photo", 4)).as("another format").isNull();
            assertThat(store.features().contains("photo", 3)).isTrue();
            assertThat(store.features().contains("photo", 4)).isFalse();
            assertThat(store.features().contains("unknown", 3)).isFalse();
        }
    }

    @Test
    void anotherFormatVersionCountsAsMissingAndIsReplacedByPut() {
        try (Store store = Store.open(dir)) {
            store.features().put("cc", features(1, false));
            assertThat(store.features().get("cc", 4)).isEmpty();
            Features newer = new Features(4, new float[] {1, 2}, new byte[] {9}, null);
            store.features().put("cc", newer);
            assertSame(store.features().get("cc", 4).orElseThrow(), newer);
            assertThat(store.features().get("cc", 3)).isEmpty();
        }
    }

    @Test
    void featuresNoTaskNamesAreDropped() {
        try (Store store = Store.open(dir)) {
            store.projects().ensure(1);
            store.tasks().upsert(1, Map.of(10L, "s3://b/x.jpg"));
            store.tasks().content(1, 10, "used");
            store.features().put("used", features(1, false));
            store.features().put("orphan", features(2, false));
            assertThat(store.features().deleteUnreferenced()).isEqualTo(1);
            assertThat(store.features().get("used", 3)).isPresent();
        }
    }

    @Test
    void scenePairsAreKeptByContentInEitherOrderForTheirFormatAndGoWithTheirImages() {
        try (Store store = Store.open(dir)) {
            store.features().putScenePairs(Map.of(new FeatureStore.Pair("b", "a"), 42, new FeatureStore.Pair("a", "c"), 3,
                    new FeatureStore.Pair("c", "d"), 7), 4);

            assertThat(store.features().scenePairs(List.of("a", "b", "c"), 4))
                    .containsOnly(Map.entry(new FeatureStore.Pair("a", "b"), 42), Map.entry(new FeatureStore.Pair("c", "a"), 3));
            assertThat(store.features().scenePairs(List.of("a", "b"), 5)).as("another keypoint format").isEmpty();

            store.projects().ensure(1);
            store.tasks().upsert(1, Map.of(10L, "a.jpg", 11L, "b.jpg"));
            store.tasks().content(1, 10, "a");
            store.tasks().content(1, 11, "b");
            store.features().deleteUnreferenced();
            assertThat(store.features().scenePairs(List.of("a", "b", "c", "d"), 4)).containsOnlyKeys(new FeatureStore.Pair("a", "b"));
        }
    }
}
