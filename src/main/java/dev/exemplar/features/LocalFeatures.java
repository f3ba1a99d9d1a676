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
import boofcv.struct.feature.ScalePoint;
import boofcv.struct.feature.TupleDesc_F64;
import boofcv.struct.image.GrayF32;

import java.util.Arrays;
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

        /** The memory of these keypoints' arrays, and of several (any may be null) together. */
        public static int bytes(Keypoints... sets) {
            int bytes = 0;
            for (Keypoints k : sets) if (k != null) bytes += 4 * k.xy.length + k.descriptors.length;
            return bytes;
        }
    }

    /**
     * The long side keypoints are found at, and how many are kept. 192 px and 150 points cost 0.57 times the
     * features and 0.65 times the verification of 320 px and 300 points on generated photographs, with group
     * coverage and link accuracy as good or better on the room photographs and on two generated sets measured apart.
     */
    static final int SIDE = 192, MAX_POINTS = 150;
    /** Descriptor values are kept as round(value x LEVELS), clamped to a byte. */
    static final float LEVELS = 254;
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
    static Keypoints[] detectWithMirror(float[] grey, int w, int h) {
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

    /** Below this many ratio-test matches no fit is tried: the count itself bounds the inliers. */
    static final int MIN_MATCHES_TO_FIT = 10;

    /**
     * Keypoints ready to be the side matches are made from: descriptors as floats, transposed to the columns a tile
     * of {@link Kernels} runs over, with their squared lengths. Scene verification matches an item with each of its
     * candidates, so it prepares the item once instead of converting it again for every pair.
     */
    public static final class Prepared {
        final float[] xy;
        final int count, dimension, width;
        final float[] columns, norms;

        private Prepared(Keypoints k) {
            xy = k.xy();
            count = k.count();
            dimension = k.dimension();
            width = Kernels.padColumns(count);
            columns = new float[dimension * width]; // padding columns of zeros
            norms = new float[width];
            byte[] q = k.descriptors();
            for (int j = 0; j < count; j++) {
                float s = 0;
                for (int t = 0; t < dimension; t++) {
                    float v = q[j * dimension + t]; // distances in units of 1 / LEVELS: the ratio test is the same
                    columns[t * width + j] = v;
                    s += v * v;
                }
                norms[j] = s;
            }
        }
    }

    public static Prepared prepare(Keypoints k) {
        return new Prepared(k);
    }

    /** Per thread, the buffers a match and its fit reuse. */
    private static final class Scratch {
        float[] rows = new float[0], dots = new float[0], best = new float[0], second = new float[0], index = new float[0];
        double[] matches = new double[0];
        final HomographyRansac ransac = new HomographyRansac();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The number of ratio-test matches from a to b consistent with one homography; fewer than
     * {@link #MIN_MATCHES_TO_FIT} (the matches themselves, an upper bound) when there are too few to fit one.
     */
    public static int verifiedMatches(Keypoints a, Keypoints b) {
        return verifiedMatches(prepare(a), b);
    }

    /** The same, with a prepared. */
    public static int verifiedMatches(Prepared a, Keypoints b) {
        Scratch s = SCRATCH.get();
        int n = match(a, b, s);
        if (n < MIN_MATCHES_TO_FIT) return n;
        return s.ransac.inliers(s.matches, n);
    }

    /**
     * Nearest-neighbour matches from a to b that pass the ratio test, into s.matches as (ax, ay, bx, by), in the
     * order of a's keypoints; returns their number. Squared distances come from dot products, four keypoints of b
     * at a time against every keypoint of a as tiles of {@link Kernels}, each folded into every keypoint of a's
     * nearest and second nearest so far. Descriptor values are whole numbers below 128 in 64 dimensions, so every
     * dot product and distance is an integer a float holds exactly: the order of the sums changes no decision.
     */
    private static int match(Prepared a, Keypoints b, Scratch s) {
        int dim = a.dimension, na = a.count, nb = b.count(), width = a.width;
        if (na == 0 || nb == 0) return 0;
        int rows = Kernels.padRows(nb);
        float[] db = s.rows = fit(s.rows, rows * dim);
        byte[] qb = b.descriptors();
        for (int t = 0; t < nb * dim; t++) db[t] = qb[t];
        Arrays.fill(db, nb * dim, rows * dim, 0f); // padding rows, whatever a larger b left there
        float[] dots = s.dots = fit(s.dots, Kernels.ROW_PAD * width);
        float[] best = s.best = fit(s.best, width), second = s.second = fit(s.second, width), index = s.index = fit(s.index, width);
        Arrays.fill(best, 0, width, Float.MAX_VALUE);
        Arrays.fill(second, 0, width, Float.MAX_VALUE);
        for (int k0 = 0; k0 < nb; k0 += Kernels.ROW_PAD) {
            Kernels.tile(db, k0 * dim, Kernels.ROW_PAD, dim, a.columns, width, dots);
            for (int r = 0; r < Kernels.ROW_PAD && k0 + r < nb; r++) {
                int k = k0 + r;
                float norm = 0;
                for (int t = 0; t < dim; t++) norm += db[k * dim + t] * db[k * dim + t];
                Kernels.nearest(dots, r * width, width, norm, k, a.norms, best, second, index);
            }
        }
        double[] m = s.matches = fit(s.matches, 4 * na);
        float[] xb = b.xy();
        int n = 0;
        for (int i = 0; i < na; i++) {
            if (best[i] < RATIO * RATIO * second[i]) {
                int j = (int) index[i];
                m[4 * n] = a.xy[2 * i];
                m[4 * n + 1] = a.xy[2 * i + 1];
                m[4 * n + 2] = xb[2 * j];
                m[4 * n + 3] = xb[2 * j + 1];
                n++;
            }
        }
        return n;
    }

    private static float[] fit(float[] buffer, int length) {
        return buffer.length >= length ? buffer : new float[length];
    }

    private static double[] fit(double[] buffer, int length) {
        return buffer.length >= length ? buffer : new double[length];
    }
}
