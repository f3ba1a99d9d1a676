package dev.exemplar.summary;

import dev.exemplar.features.LocalFeatures;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Raises the similarity of close pairs of photographs whose keypoints agree on one geometric
 * transform: two views of one scene, which global descriptors confuse with look-alike scenes.
 * Only each item's few nearest candidates are checked, so the cost is linear in the items.
 */
final class SceneVerification {
    static final int CANDIDATES = 10;
    /**
     * Matches consistent with one homography that make a pair count as one scene, and the count at full effect: the
     * same shares (1 in 15 and 1 in 5) of the keypoints an image keeps ({@link LocalFeatures}'s MAX_POINTS, 150).
     */
    static final int MIN_INLIERS = 10, FULL_INLIERS = 30;
    static final double BOOST = 0.5;
    /**
     * A checked pair with almost no consistent matches is most likely two look-alike scenes: its
     * distance is doubled. Only between textured images: blurred or dark ones give no keypoints
     * to judge by (mean lightness gradient per pixel below MIN_TEXTURE).
     */
    static final double PENALTY = 1.0, MIN_TEXTURE = 3.0;

    private SceneVerification() { }

    /** Matches of a with b, or with b mirrored when b may be a mirrored view; the mirror is read only when needed. */
    private static int matches(LocalFeatures.Prepared a, LocalFeatures.Keypoints b, Supplier<LocalFeatures.Keypoints> mirrored) {
        int m = LocalFeatures.verifiedMatches(a, b);
        if (m < MIN_INLIERS) {
            LocalFeatures.Keypoints mb = mirrored.get();
            if (mb != null) m = Math.max(m, LocalFeatures.verifiedMatches(a, mb));
        }
        return m;
    }

    /**
     * An item's keypoints and its mirror's, each read once, when a pair first needs it, and the item prepared once as
     * the side matches are made from: an item is matched with up to {@link #CANDIDATES} others.
     */
    private static final class Own {
        final int item;
        final KeypointSource source;
        LocalFeatures.Keypoints keypoints, mirrored;
        boolean mirrorRead;
        LocalFeatures.Prepared prepared;

        Own(int item, KeypointSource source) {
            this.item = item;
            this.source = source;
        }

        LocalFeatures.Keypoints keypoints() {
            if (keypoints == null) keypoints = source.keypoints(item);
            return keypoints;
        }

        LocalFeatures.Keypoints mirrored() {
            if (!mirrorRead) {
                mirrored = source.mirrored(item);
                mirrorRead = true;
            }
            return mirrored;
        }

        LocalFeatures.Prepared prepared() {
            if (prepared == null) prepared = LocalFeatures.prepare(keypoints());
            return prepared;
        }
    }

    /** @param photograph which items have keypoints */
    static int apply(NeighbourGraph g, KeypointSource source, boolean[] photograph, double[] texture, PairMemory memory, Progress progress) {
        ConcurrentHashMap<Long, Integer> inliers = new ConcurrentHashMap<>();
        progress.phase("verify", g.size());
        IntStream.range(0, g.size()).parallel().forEach(i -> {
            int[] nb = g.neighbours(i);
            Own own = new Own(i, source);
            for (int t = 0; t < Math.min(CANDIDATES, nb.length); t++) {
                int j = nb[t];
                if (!photograph[i] || !photograph[j]) continue;
                long key = i < j ? ((long) i << 32) | j : ((long) j << 32) | i;
                int m = inliers.computeIfAbsent(key, k -> {
                    int known = memory.inliers(Math.min(i, j), Math.max(i, j));
                    if (known != PairMemory.UNKNOWN) return known;
                    // matched from the smaller index to the larger, whichever item asks first
                    int found = i < j ? matches(own.prepared(), source.keypoints(j), () -> source.mirrored(j))
                            : matches(LocalFeatures.prepare(source.keypoints(j)), own.keypoints(), own::mirrored);
                    memory.found(Math.min(i, j), Math.max(i, j), found);
                    return found;
                });
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
