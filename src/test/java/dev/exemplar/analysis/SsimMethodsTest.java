package dev.exemplar.analysis;

import dev.exemplar.features.Ssim;
import dev.exemplar.summary.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The threshold variant and k-means with SSIM, on planted groups of noisy copies of random textures. */
class SsimMethodsTest {
    static final int GROUPS = 12;

    /** Groups of 1 to 4 images: a smooth random texture and copies with a little noise; groupOf receives each image's group. */
    static List<Ssim.Prepared> planted(long seed, List<Integer> groupOf) {
        Random rnd = new Random(seed);
        List<Ssim.Prepared> out = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            float[] base = new float[32 * 32];
            for (int k = 0; k < 6; k++) { // a few bright blobs
                int cx = rnd.nextInt(32), cy = rnd.nextInt(32);
                for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) base[y * 32 + x] += (float) (40 * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 20.0));
            }
            int size = 1 + g % 4;
            for (int c = 0; c < size; c++) {
                float[] img = base.clone();
                for (int i = 0; i < img.length; i++) img[i] += c == 0 ? 0 : (float) (1.5 * rnd.nextGaussian());
                out.add(Ssim.prepare(img, 32, 32, 100));
                groupOf.add(g);
            }
        }
        return out;
    }

    @Test
    void thresholdGroupsAreThePlantedOnes() {
        List<Integer> groupOf = new ArrayList<>();
        List<Ssim.Prepared> images = planted(1, groupOf);
        SimilarityMatrix m = SimilarityMatrix.ssim(images, Progress.NONE);
        SsimThreshold.Result r = SsimThreshold.run(m, 0.9);
        assertThat(r.clusters()).isEqualTo(GROUPS);
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < images.size(); j++) {
                assertThat(r.assignment()[i] == r.assignment()[j]).isEqualTo(groupOf.get(i).equals(groupOf.get(j)));
            }
        }
        for (int c = 0; c < r.clusters(); c++) assertThat(r.assignment()[r.representative()[c]]).isEqualTo(c);
        PairExtremes e = PairExtremes.of(m, 3);
        assertThat(e.leastSimilar()).hasSize(3);
        assertThat(e.leastSimilar().get(0).similarity()).isLessThanOrEqualTo(e.leastSimilar().get(2).similarity());
        // a copy's nearest other image is in its group; a lone image's is not
        for (int i = 0; i < images.size(); i++) {
            int group = groupOf.get(i);
            long size = groupOf.stream().filter(x -> x == group).count();
            assertThat(groupOf.get(e.partner()[i]).equals(group)).isEqualTo(size > 1);
        }
    }

    @Test
    void kMeansWithSsimRecoversThePlantedGroups() {
        List<Integer> groupOf = new ArrayList<>();
        List<Ssim.Prepared> images = planted(2, groupOf);
        SsimKMeans.Result r = SsimKMeans.run(images, GROUPS, 5, Progress.NONE);
        assertThat(r.clusters()).isEqualTo(GROUPS);
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < images.size(); j++) {
                assertThat(r.assignment()[i] == r.assignment()[j]).as("%d %d", i, j).isEqualTo(groupOf.get(i).equals(groupOf.get(j)));
            }
            assertThat(r.similarity()[i]).isGreaterThan(0.9f);
        }
    }
}
