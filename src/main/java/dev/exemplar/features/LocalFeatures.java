package dev.exemplar.features;

import boofcv.abst.feature.detect.interest.ConfigFastHessian;
import boofcv.abst.feature.orientation.OrientationIntegral;
import boofcv.alg.feature.describe.DescribePointSurf;
import boofcv.alg.feature.detect.interest.FastHessianFeatureDetector;
import boofcv.alg.transform.ii.IntegralImageOps;
import boofcv.concurrency.BoofConcurrency;
import boofcv.factory.feature.describe.FactoryDescribeAlgs;
import boofcv.factory.feature.detect.interest.FactoryInterestPointAlgs;
import boofcv.factory.feature.orientation.FactoryOrientationAlgs;
import boofcv.factory.geo.ConfigHomography;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.feature.ScalePoint;
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
    /**
     * Keypoint positions (x, y pairs, in pixels of an image whose long side is {@link #SIDE}) and descriptors, each
     * value times {@link #LEVELS} rounded to a byte: a quarter of the memory of floats, which a project holds
     * for every photograph, and the same matches (the descriptors have unit length, so a value is rarely beyond
     * 0.5, and a rounding of 1/500 moves no ratio test that matters).
     */
    public record Keypoints(float[] xy, byte[] descriptors, int dimension) {
        public int count() {
            return xy.length / 2;
        }
    }

    public static final int SIDE = 320;
    /** Descriptor values are kept as round(value x LEVELS), clamped to a byte. */
    static final float LEVELS = 254;
    static final int MAX_POINTS = 300;
    static final float RATIO = 0.8f;

    static {
        // the engine already runs one image per core: BoofCV's own thread pool inside would only nest a second one
        BoofConcurrency.USE_CONCURRENT = false;
    }

    /** SURF as BoofCV's fast detect-and-describe puts it together, in parts, so the detection can serve a mirror too. */
    private static final class Surf {
        final FastHessianFeatureDetector<GrayF32> detector;
        final OrientationIntegral<GrayF32> orientation = FactoryOrientationAlgs.average_ii(null, GrayF32.class);
        final DescribePointSurf<GrayF32> describe = FactoryDescribeAlgs.surfSpeed(null, GrayF32.class);
        final TupleDesc_F64 description = describe.createDescription();

        Surf() {
            ConfigFastHessian c = new ConfigFastHessian();
            c.maxFeaturesAll = MAX_POINTS;
            c.extract.threshold = 0;
            c.extract.radius = 2;
            detector = FactoryInterestPointAlgs.fastHessian(c);
        }
    }

    private static final ThreadLocal<Surf> SURF = ThreadLocal.withInitial(Surf::new);

    private LocalFeatures() { }

    /**
     * The keypoints of a grey image given as row-major values (any range) of width w and height h, and those of its
     * mirror image (positions in the mirror's pixels). The detector's response is the same on a mirror image, so the
     * mirror's keypoints are the image's, mirrored: only their orientations and descriptors are computed again, on
     * the mirror. Detecting twice was half of the features' time on photographs.
     */
    public static Keypoints[] detectWithMirror(float[] grey, int w, int h) {
        Surf surf = SURF.get();
        GrayF32 img = new GrayF32(w, h);
        System.arraycopy(grey, 0, img.data, 0, w * h);
        GrayF32 ii = IntegralImageOps.transform(img, null);
        surf.detector.detect(ii);
        List<ScalePoint> points = surf.detector.getFoundFeatures();
        Keypoints k = describe(surf, ii, points, w, false);
        GrayF32 flipped = new GrayF32(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) flipped.data[y * w + x] = grey[y * w + w - 1 - x];
        return new Keypoints[] {k, describe(surf, IntegralImageOps.transform(flipped, null), points, w, true)};
    }

    /** Orientation and descriptor of each point, as BoofCV's SURF computes them, in the image or its mirror. */
    private static Keypoints describe(Surf surf, GrayF32 ii, List<ScalePoint> points, int w, boolean mirrored) {
        surf.orientation.setImage(ii);
        surf.describe.setImage(ii);
        int n = points.size(), dim = surf.description.size();
        float[] xy = new float[2 * n];
        byte[] desc = new byte[n * dim];
        for (int i = 0; i < n; i++) {
            ScalePoint p = points.get(i);
            double x = mirrored ? w - 1 - p.pixel.x : p.pixel.x, y = p.pixel.y;
            surf.orientation.setObjectRadius(p.scale * 2); // the radius BoofCV's SURF orients by
            double angle = surf.orientation.compute(x, y);
            surf.describe.describe(x, y, angle, p.scale, true, surf.description);
            xy[2 * i] = (float) x;
            xy[2 * i + 1] = (float) y;
            double[] v = surf.description.data;
            for (int t = 0; t < dim; t++) desc[i * dim + t] = (byte) Math.max(-127, Math.min(127, Math.round(v[t] * LEVELS)));
        }
        return new Keypoints(xy, desc, dim);
    }

    /**
     * Samples of 4 matches tried for a homography: enough to draw one of inliers only with 99% chance when 45% of
     * the matches are inliers. 300 found no more scenes on the room photographs nor on generated ones, and the
     * fits' SVDs were half of scene verification's time.
     */
    static final int RANSAC_ITERATIONS = 120;

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
                FactoryMultiViewRobust.homographyRansac(new ConfigHomography(), new ConfigRansac(RANSAC_ITERATIONS, 4.0));
        if (!ransac.process(pairs)) return 0;
        return ransac.getMatchSet().size();
    }

    /**
     * Nearest-neighbour matches from a to b that pass the ratio test, squared distances from dot products: all of
     * them at once as tiles of {@link Kernels}, four keypoints of a against every keypoint of b (a dot product at a
     * time was half of scene verification's time).
     */
    private static List<AssociatedPair> match(Keypoints a, Keypoints b) {
        int dim = a.dimension(), na = a.count(), nb = b.count();
        List<AssociatedPair> out = new ArrayList<>();
        if (na == 0 || nb == 0) return out;
        int rows = Kernels.padRows(na), width = Kernels.padColumns(nb);
        float[] da = new float[rows * dim]; // padding rows of zeros
        byte[] qa = a.descriptors(), db = b.descriptors();
        for (int t = 0; t < na * dim; t++) da[t] = qa[t]; // distances in units of 1 / LEVELS: the ratio test is the same
        float[] bt = new float[dim * width];
        float[] normB = new float[nb];
        for (int j = 0; j < nb; j++) {
            float s = 0;
            for (int t = 0; t < dim; t++) {
                float v = db[j * dim + t];
                bt[t * width + j] = v;
                s += v * v;
            }
            normB[j] = s;
        }
        float[] dots = new float[Kernels.ROW_PAD * width];
        for (int i0 = 0; i0 < na; i0 += Kernels.ROW_PAD) {
            Kernels.tile(da, i0 * dim, Kernels.ROW_PAD, dim, bt, width, dots);
            for (int r = 0; r < Kernels.ROW_PAD && i0 + r < na; r++) {
                int i = i0 + r, ai = i * dim, o = r * width;
                float normA = 0;
                for (int t = 0; t < dim; t++) normA += da[ai + t] * da[ai + t];
                float best = Float.MAX_VALUE, second = Float.MAX_VALUE;
                int bestJ = -1;
                for (int j = 0; j < nb; j++) {
                    float d = normA + normB[j] - 2 * dots[o + j];
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
        }
        return out;
    }
}
