package dev.exemplar.summary;

import dev.exemplar.features.LocalFeatures;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Raises the similarity of close pairs of photographs whose keypoints agree on one geometric
 * transform: two views of one scene, which global descriptors confuse with look-alike scenes.
 * Only each item's few nearest candidates are checked, so the cost is linear in the items.
 */
final class SceneVerification {
    static final int CANDIDATES = 10;
    /** Matches consistent with one homography that make a pair count as one scene, and the count at full effect. */
    static final int MIN_INLIERS = 20, FULL_INLIERS = 60;
    static final double BOOST = 0.5;
    /**
     * A checked pair with almost no consistent matches is most likely two look-alike scenes: its
     * distance is doubled. Only between textured images: blurred or dark ones give no keypoints
     * to judge by (mean lightness gradient per pixel below MIN_TEXTURE).
     */
    static final double PENALTY = 1.0, MIN_TEXTURE = 3.0;

    private SceneVerification() { }

    /** Matches of a with b, or with b mirrored when b may be a mirrored view. */
    private static int matches(int a, int b, LocalFeatures.Keypoints[] keypoints, LocalFeatures.Keypoints[] mirrored) {
        int m = LocalFeatures.verifiedMatches(keypoints[a], keypoints[b]);
        if (m < MIN_INLIERS && mirrored[b] != null) m = Math.max(m, LocalFeatures.verifiedMatches(keypoints[a], mirrored[b]));
        return m;
    }

    static int apply(NeighbourGraph g, LocalFeatures.Keypoints[] keypoints, LocalFeatures.Keypoints[] mirrored, double[] texture, Progress progress) {
        ConcurrentHashMap<Long, Integer> inliers = new ConcurrentHashMap<>();
        progress.phase("verify", g.size());
        IntStream.range(0, g.size()).parallel().forEach(i -> {
            int[] nb = g.neighbours(i);
            for (int t = 0; t < Math.min(CANDIDATES, nb.length); t++) {
                int j = nb[t];
                if (keypoints[i] == null || keypoints[j] == null) continue;
                long key = i < j ? ((long) i << 32) | j : ((long) j << 32) | i;
                int m = inliers.computeIfAbsent(key, k -> matches((int) (k >>> 32), (int) (long) k, keypoints, mirrored));
                float s = g.similarities(i)[t];
                if (m >= MIN_INLIERS) {
                    g.raise(i, t, (float) (s + (1 - s) * BOOST * Math.min(1.0, (double) m / FULL_INLIERS)));
                } else if (m < MIN_INLIERS / 2 && Math.min(texture[i], texture[j]) >= MIN_TEXTURE) {
                    g.lower(i, t, (float) (1 - (1 - s) * (1 + PENALTY)));
                }
            }
            progress.advance(1);
        });
        g.resort();
        return (int) inliers.values().stream().filter(m -> m >= MIN_INLIERS).count();
    }
}
