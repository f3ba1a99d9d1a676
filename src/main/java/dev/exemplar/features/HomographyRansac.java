package dev.exemplar.features;

import boofcv.alg.geo.robust.GenerateHomographyLinear;
import boofcv.struct.geo.AssociatedPair;
import georegression.struct.homography.Homography2D_F64;

import java.util.List;
import java.util.Random;

/**
 * The largest set of matches consistent with one homography, by RANSAC: each of {@link #ITERATIONS} samples of 4
 * matches determines a homography exactly, and the matches it maps within {@link #THRESHOLD} pixels are counted.
 *
 * <p>The samples are the ones ddogleg's {@code Ransac} draws with BoofCV's default seed (one generator per
 * iteration, seeded from a master generator; a partial Fisher-Yates draw from the end), and a point is an inlier on
 * the same test ({@code |H a - b|^2 < 4^2}), so the counts are those of {@code FactoryMultiViewRobust.homographyRansac}
 * up to rounding. Only the fit is different: four points determine a homography in closed form, where BoofCV's
 * normalised DLT took an SVD of an 8 x 9 matrix per sample, which was half of scene verification's time.
 *
 * <p>A sample the closed form refuses (three points collinear, often because several matches share one keypoint
 * of b) still goes to BoofCV's DLT, which returns a rank-deficient homography mapping those matches onto that one
 * point. Scene verification has always counted such a many-to-one match as agreement, and its decisions stay the
 * same only if it still does; these samples are few, so the SVD is rare.
 */
final class HomographyRansac {
    /**
     * Samples of 4 matches tried: enough to draw one of inliers only with 99% chance when 45% of the matches are
     * inliers. 300 found no more scenes on the room photographs nor on generated ones.
     */
    static final int ITERATIONS = 120;
    static final double THRESHOLD = 4.0;
    /** BoofCV's ConfigRansac default seed. */
    private static final long SEED = 0xDEADBEEF;
    /** Each iteration's seed, as ddogleg's Ransac derives them from its master generator. */
    private static final long[] TRIAL_SEEDS = new long[ITERATIONS];

    static {
        Random master = new Random(SEED);
        for (int t = 0; t < ITERATIONS; t++) TRIAL_SEEDS[t] = master.nextLong();
    }

    /**
     * A sample whose triangles are flatter than this, relative to the sample's squared extent, counts as collinear:
     * such a sample determines no homography (or a wild one), so it is refused rather than fitted.
     */
    static final double FLAT = 1e-9;

    private final Random random = new Random();
    private final double[] h = new double[9];
    private final int[] drawn = new int[4];
    private final double[] areasA = new double[4], areasB = new double[4];
    private int[] order = new int[0];
    private GenerateHomographyLinear dlt;
    private List<AssociatedPair> sample;
    private Homography2D_F64 dltModel;

    /**
     * The most inliers of any sampled homography among n matches, m[4i..4i+3] = (ax, ay, bx, by) for match i;
     * 0 when n &lt; 4 or no sample fits.
     */
    int inliers(double[] m, int n) {
        if (n < 4) return 0;
        if (order.length < n) order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double limit = THRESHOLD * THRESHOLD;
        int best = 0;
        for (int t = 0; t < ITERATIONS && best < n; t++) {
            random.setSeed(TRIAL_SEEDS[t]);
            for (int s = 0; s < 4; s++) { // the last four places of a partial shuffle
                int at = n - 1 - s, r = random.nextInt(at + 1);
                drawn[s] = r;
                swap(order, at, r);
            }
            int i0 = order[n - 1], i1 = order[n - 2], i2 = order[n - 3], i3 = order[n - 4];
            for (int s = 3; s >= 0; s--) swap(order, n - 1 - s, drawn[s]); // back to the identity for the next draw
            if (!fit(m, i0, i1, i2, i3, h, areasA, areasB) && !dlt(m, i3, i2, i1, i0)) continue;
            best = Math.max(best, count(m, n, h, limit, n - best));
        }
        return best;
    }

    /** BoofCV's normalised DLT on a sample in ddogleg's order, into h; false where it finds none. */
    private boolean dlt(double[] m, int... matches) {
        if (dlt == null) {
            dlt = new GenerateHomographyLinear(true);
            sample = List.of(new AssociatedPair(), new AssociatedPair(), new AssociatedPair(), new AssociatedPair());
            dltModel = new Homography2D_F64();
        }
        for (int k = 0; k < 4; k++) {
            int i = matches[k];
            sample.get(k).setTo(m[4 * i], m[4 * i + 1], m[4 * i + 2], m[4 * i + 3]);
        }
        if (!dlt.generate(sample, dltModel)) return false;
        Homography2D_F64 g = dltModel;
        h[0] = g.a11; h[1] = g.a12; h[2] = g.a13;
        h[3] = g.a21; h[4] = g.a22; h[5] = g.a23;
        h[6] = g.a31; h[7] = g.a32; h[8] = g.a33;
        return true;
    }

    private static void swap(int[] a, int i, int j) {
        int v = a[i];
        a[i] = a[j];
        a[j] = v;
    }

    /**
     * The matches mapped within sqrt(limit), comparing (x - u z)^2 + (y - v z)^2 with limit z^2 for (x, y, z) = H a:
     * the squared distance of the projection to (u, v) without a division. Gives up once more than maxOutliers
     * fail, when the count can no longer beat the best so far (the count returned is then below it).
     */
    static int count(double[] m, int n, double[] h, double limit, int maxOutliers) {
        int in = 0, out = 0;
        for (int i = 0; i < n; i++) {
            double ax = m[4 * i], ay = m[4 * i + 1], u = m[4 * i + 2], v = m[4 * i + 3];
            double z = h[6] * ax + h[7] * ay + h[8];
            double dx = h[0] * ax + h[1] * ay + h[2] - u * z, dy = h[3] * ax + h[4] * ay + h[5] - v * z;
            if (dx * dx + dy * dy < limit * z * z) {
                in++;
            } else if (++out > maxOutliers) {
                return in;
            }
        }
        return in;
    }

    /**
     * The homography h (row-major 3 x 3, up to scale) taking a_k to b_k for the four matches i0..i3, or false when
     * three of the four points are collinear in either image. In closed form: with P = [p0 p1 p2] (homogeneous
     * columns) and p3 = P l, the map of the basis and (1,1,1) onto the p_k is P diag(l); so H = Q diag(m / l) P^-1,
     * with P^-1 proportional to adj(P), and the l, m from Cramer's rule as ratios of the four triangles' areas.
     */
    static boolean fit(double[] m, int i0, int i1, int i2, int i3, double[] h) {
        return fit(m, i0, i1, i2, i3, h, new double[4], new double[4]);
    }

    private static boolean fit(double[] m, int i0, int i1, int i2, int i3, double[] h, double[] da, double[] db) {
        if (!triangles(m, 0, i0, i1, i2, i3, da) || !triangles(m, 2, i0, i1, i2, i3, db)) return false;
        // diag(m / l) up to the common factor det(Q) / det(P): m_k / l_k = db[k] / da[k]
        double c0 = db[0] / da[0], c1 = db[1] / da[1], c2 = db[2] / da[2];
        double x0 = m[4 * i0], y0 = m[4 * i0 + 1], x1 = m[4 * i1], y1 = m[4 * i1 + 1], x2 = m[4 * i2], y2 = m[4 * i2 + 1];
        // adj(P) for P = [[x0 x1 x2] [y0 y1 y2] [1 1 1]], row by row
        double a00 = y1 - y2, a01 = x2 - x1, a02 = x1 * y2 - x2 * y1;
        double a10 = y2 - y0, a11 = x0 - x2, a12 = x2 * y0 - x0 * y2;
        double a20 = y0 - y1, a21 = x1 - x0, a22 = x0 * y1 - x1 * y0;
        double u0 = m[4 * i0 + 2], v0 = m[4 * i0 + 3], u1 = m[4 * i1 + 2], v1 = m[4 * i1 + 3], u2 = m[4 * i2 + 2], v2 = m[4 * i2 + 3];
        // Q diag(c): columns c_k (u_k, v_k, 1)
        double q00 = c0 * u0, q01 = c1 * u1, q02 = c2 * u2;
        double q10 = c0 * v0, q11 = c1 * v1, q12 = c2 * v2;
        h[0] = q00 * a00 + q01 * a10 + q02 * a20;
        h[1] = q00 * a01 + q01 * a11 + q02 * a21;
        h[2] = q00 * a02 + q01 * a12 + q02 * a22;
        h[3] = q10 * a00 + q11 * a10 + q12 * a20;
        h[4] = q10 * a01 + q11 * a11 + q12 * a21;
        h[5] = q10 * a02 + q11 * a12 + q12 * a22;
        h[6] = c0 * a00 + c1 * a10 + c2 * a20;
        h[7] = c0 * a01 + c1 * a11 + c2 * a21;
        h[8] = c0 * a02 + c1 * a12 + c2 * a22;
        return true;
    }

    /**
     * Twice the signed areas det(p3 p1 p2), det(p0 p3 p2), det(p0 p1 p3) and det(p0 p1 p2) of one image's points
     * (at offset 0 for a, 2 for b), so that p3 = sum_k (d_k / d_3) p_k; false when any is flat.
     */
    private static boolean triangles(double[] m, int side, int i0, int i1, int i2, int i3, double[] d) {
        double x0 = m[4 * i0 + side], y0 = m[4 * i0 + side + 1], x1 = m[4 * i1 + side], y1 = m[4 * i1 + side + 1];
        double x2 = m[4 * i2 + side], y2 = m[4 * i2 + side + 1], x3 = m[4 * i3 + side], y3 = m[4 * i3 + side + 1];
        d[0] = area(x3, y3, x1, y1, x2, y2);
        d[1] = area(x0, y0, x3, y3, x2, y2);
        d[2] = area(x0, y0, x1, y1, x3, y3);
        d[3] = area(x0, y0, x1, y1, x2, y2);
        double w = Math.max(Math.max(x0, x1), Math.max(x2, x3)) - Math.min(Math.min(x0, x1), Math.min(x2, x3));
        double hgt = Math.max(Math.max(y0, y1), Math.max(y2, y3)) - Math.min(Math.min(y0, y1), Math.min(y2, y3));
        double flat = FLAT * (w * w + hgt * hgt);
        for (double v : d) if (!(Math.abs(v) > flat)) return false;
        return true;
    }

    private static double area(double x0, double y0, double x1, double y1, double x2, double y2) {
        return (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    }
}
