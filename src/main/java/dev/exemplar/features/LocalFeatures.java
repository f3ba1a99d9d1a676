package dev.exemplar.features;

import boofcv.abst.feature.detdesc.DetectDescribePoint;
import boofcv.abst.feature.detect.interest.ConfigFastHessian;
import boofcv.concurrency.BoofConcurrency;
import boofcv.factory.feature.detdesc.FactoryDetectDescribe;
import boofcv.factory.geo.ConfigHomography;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.feature.TupleDesc_F64;
import boofcv.struct.geo.AssociatedPair;
import boofcv.struct.image.GrayF32;
import georegression.struct.homography.Homography2D_F64;
import org.ddogleg.fitting.modelset.ransac.Ransac;

import java.util.ArrayList;
import java.util.List;

/**
 * Scale- and rotation-invariant keypoints (SURF) of a grey image, and a geometric check of
 * whether two images show the same scene: descriptor matches that pass the ratio test and
 * agree on one homography. Global descriptors cannot tell two crops of one scene from a
 * similar-looking other scene; consistent local matches can.
 */
public final class LocalFeatures {
    /** Keypoint positions (x, y pairs, in pixels of an image whose long side is {@link #SIDE}) and descriptors. */
    public record Keypoints(float[] xy, float[] descriptors, int dimension) {
        public int count() {
            return xy.length / 2;
        }
    }

    public static final int SIDE = 320;
    static final int MAX_POINTS = 300;
    static final float RATIO = 0.8f;

    static {
        // the engine already runs one image per core: BoofCV's own thread pool inside would only nest a second one
        BoofConcurrency.USE_CONCURRENT = false;
    }

    private static final ThreadLocal<DetectDescribePoint<GrayF32, TupleDesc_F64>> DETECTOR = ThreadLocal.withInitial(() -> {
        ConfigFastHessian c = new ConfigFastHessian();
        c.maxFeaturesAll = MAX_POINTS;
        c.extract.threshold = 0;
        c.extract.radius = 2;
        return FactoryDetectDescribe.surfFast(c, null, null, GrayF32.class);
    });

    private LocalFeatures() { }

    /** Detects keypoints in a grey image given as row-major values (any range) of width w and height h. */
    public static Keypoints detect(float[] grey, int w, int h) {
        GrayF32 img = new GrayF32(w, h);
        System.arraycopy(grey, 0, img.data, 0, w * h);
        DetectDescribePoint<GrayF32, TupleDesc_F64> d = DETECTOR.get();
        d.detect(img);
        int n = d.getNumberOfFeatures(), dim = d.createDescription().size();
        float[] xy = new float[2 * n], desc = new float[n * dim];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float) d.getLocation(i).x;
            xy[2 * i + 1] = (float) d.getLocation(i).y;
            double[] v = d.getDescription(i).data;
            for (int t = 0; t < dim; t++) desc[i * dim + t] = (float) v[t];
        }
        return new Keypoints(xy, desc, dim);
    }

    /** Below this many ratio-test matches no fit is tried: the count itself bounds the inliers. */
    static final int MIN_MATCHES_TO_FIT = 10;

    /**
     * The number of ratio-test matches consistent with one homography; fewer than
     * {@link #MIN_MATCHES_TO_FIT} (the matches themselves, an upper bound) when there are too few to fit one.
     */
    public static int verifiedMatches(Keypoints a, Keypoints b) {
        List<AssociatedPair> pairs = match(a, b);
        if (pairs.size() < MIN_MATCHES_TO_FIT) return pairs.size();
        Ransac<Homography2D_F64, AssociatedPair> ransac =
                FactoryMultiViewRobust.homographyRansac(new ConfigHomography(), new ConfigRansac(300, 4.0));
        if (!ransac.process(pairs)) return 0;
        return ransac.getMatchSet().size();
    }

    /** Nearest-neighbour matches from a to b that pass the ratio test (squared distances from dot products). */
    private static List<AssociatedPair> match(Keypoints a, Keypoints b) {
        int dim = a.dimension(), na = a.count(), nb = b.count();
        float[] da = a.descriptors(), db = b.descriptors();
        float[] normB = new float[nb];
        for (int j = 0; j < nb; j++) {
            float s = 0;
            for (int t = 0; t < dim; t++) s += db[j * dim + t] * db[j * dim + t];
            normB[j] = s;
        }
        List<AssociatedPair> out = new ArrayList<>();
        for (int i = 0; i < na; i++) {
            int ai = i * dim;
            float normA = 0;
            for (int t = 0; t < dim; t++) normA += da[ai + t] * da[ai + t];
            float best = Float.MAX_VALUE, second = Float.MAX_VALUE;
            int bestJ = -1;
            for (int j = 0; j < nb; j++) {
                int bj = j * dim;
                float dot = 0;
                for (int t = 0; t < dim; t++) dot += da[ai + t] * db[bj + t];
                float d = normA + normB[j] - 2 * dot;
                if (d < best) {
                    second = best;
                    best = d;
                    bestJ = j;
                } else if (d < second) {
                    second = d;
                }
            }
            if (bestJ >= 0 && best < RATIO * RATIO * second) {
                out.add(new AssociatedPair(a.xy()[2 * i], a.xy()[2 * i + 1], b.xy()[2 * bestJ], b.xy()[2 * bestJ + 1]));
            }
        }
        return out;
    }
}
