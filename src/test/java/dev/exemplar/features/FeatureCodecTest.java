package dev.exemplar.features;

import dev.exemplar.image.ImageLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureCodecTest {
    @Test
    void featuresOfAPhotographSurviveBytesExactly() throws Exception {
        Path photo;
        try (var files = Files.list(Path.of("samples/rooms/images"))) {
            photo = files.sorted().findFirst().orElseThrow();
        }
        ImageFeatures f = ImageFeatures.of(Files.readAllBytes(photo), photo.toString(), ImageLoader.defaults());
        assertThat(f.keypoints()).as("a photograph has keypoints").isNotNull();

        ImageFeatures back = FeatureCodec.decode(f.descriptor(), FeatureCodec.thumbnail(f), FeatureCodec.keypoints(f));

        assertThat(back.thumbnail().l()).containsExactly(f.thumbnail().l());
        assertThat(back.thumbnail().b()).containsExactly(f.thumbnail().b());
        assertThat(back.texture()).isEqualTo(f.texture());
        assertThat(back.aspect()).isEqualTo(f.aspect());
        assertThat(back.keypoints().descriptors()).containsExactly(f.keypoints().descriptors());
        assertThat(back.mirroredKeypoints().xy()).containsExactly(f.mirroredKeypoints().xy());
        assertThat(LocalFeatures.verifiedMatches(back.keypoints(), f.keypoints())).isEqualTo(LocalFeatures.verifiedMatches(f.keypoints(), f.keypoints()));
    }

    @Test
    void anImageWithoutKeypointsHasNoKeypointBytes() {
        var t = new dev.exemplar.image.Thumbnail(2, new float[4], new float[4], new float[4]);
        ImageFeatures f = new ImageFeatures(new float[] {1f}, t, null, null, 0.5, 1.0);

        assertThat(FeatureCodec.keypoints(f)).isNull();
        assertThat(FeatureCodec.decode(f.descriptor(), FeatureCodec.thumbnail(f), null).keypoints()).isNull();
    }
}
