package dev.exemplar.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exemplar.features.LocalFeatures;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeypointFileTest {
    private static LocalFeatures.Keypoints random(int count, Random rnd) {
        float[] xy = new float[2 * count];
        byte[] d = new byte[64 * count];
        for (int i = 0; i < xy.length; i++) xy[i] = rnd.nextFloat() * 320;
        rnd.nextBytes(d);
        return new LocalFeatures.Keypoints(xy, d, 64);
    }

    @Test
    void keypointsWrittenFromManyThreadsAreReadBackByIndexAsTheyWere() {
        Random rnd = new Random(7);
        int n = 200;
        LocalFeatures.Keypoints[] own = new LocalFeatures.Keypoints[n], mirror = new LocalFeatures.Keypoints[n];
        for (int i = 0; i < n; i++) {
            if (i % 5 == 0) continue; // not a photograph
            own[i] = random(1 + rnd.nextInt(300), rnd);
            mirror[i] = i % 7 == 0 ? null : random(own[i].count(), rnd);
        }
        List<String> names = IntStream.range(0, n).mapToObj(i -> "img" + i + ".jpg").toList();
        try (KeypointFile file = KeypointFile.create()) {
            IntStream.range(0, n).parallel().forEach(i -> file.put(names.get(i), own[i], mirror[i]));
            List<String> reversed = new java.util.ArrayList<>(names);
            java.util.Collections.reverse(reversed);
            KeypointSource source = file.of(reversed);
            for (int i = 0; i < n; i++) {
                int at = n - 1 - i;
                assertThat(source.has(at)).isEqualTo(own[i] != null);
                if (own[i] == null) {
                    assertThat(source.keypoints(at)).isNull();
                    continue;
                }
                assertThat(source.keypoints(at).xy()).containsExactly(own[i].xy());
                assertThat(source.keypoints(at).descriptors()).containsExactly(own[i].descriptors());
                if (mirror[i] == null) assertThat(source.mirrored(at)).isNull();
                else assertThat(source.mirrored(at).descriptors()).containsExactly(mirror[i].descriptors());
            }
        }
    }
}
