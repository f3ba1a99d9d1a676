package dev.exemplar.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import boofcv.factory.geo.ConfigHomography;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.geo.AssociatedPair;
import georegression.struct.homography.Homography2D_F64;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ddogleg.fitting.modelset.ransac.Ransac;
import org.junit.jupiter.api.Test;

class HomographyRansacTest {
    /** A perspective view change: scale, shear, shift and some foreshortening. */
    private static final double[] H = {1.1, 0.05, 12, -0.03, 0.95, -7, 1e-4, 2e-4, 1};

    private static void put(double[] m, int i, double ax, double ay, double[] h) {
        double z = h[6] * ax + h[7] * ay + h[8];
        m[4 * i] = ax;
        m[4 * i + 1] = ay;
        m[4 * i + 2] = (h[0] * ax + h[1] * ay + h[2]) / z;
        m[4 * i + 3] = (h[3] * ax + h[4] * ay + h[5]) / z;
    }

    /** n matches under H, then outliers: points of a sent at least 20 px away from where H takes them. */
    private static double[] matches(int inliers, int outliers, Random rnd) {
        double[] m = new double[4 * (inliers + outliers)];
        for (int i = 0; i < inliers + outliers; i++) {
            put(m, i, rnd.nextDouble() * 320, rnd.nextDouble() * 240, H);
            if (i >= inliers) {
                double angle = rnd.nextDouble() * 2 * Math.PI, r = 20 + rnd.nextDouble() * 100;
                m[4 * i + 2] += r * Math.cos(angle);
                m[4 * i + 3] += r * Math.sin(angle);
            }
        }
        return m;
    }

    @Test
    void fourExactCorrespondencesDetermineTheHomography() {
        double[] m = new double[16];
        double[][] corners = {{10, 20}, {200, 30}, {150, 220}, {30, 180}};
        for (int i = 0; i < 4; i++) put(m, i, corners[i][0], corners[i][1], H);
        double[] h = new double[9];
        assertThat(HomographyRansac.fit(m, 0, 1, 2, 3, h)).isTrue();
        for (int k = 0; k < 9; k++) assertThat(h[k] / h[8]).as("h[%d]", k).isCloseTo(H[k], within(1e-9 * (1 + Math.abs(H[k]))));
    }

    @Test
    void countsTheMatchesTheHomographyTakesWithinFourPixels() {
        double[] m = matches(60, 40, new Random(3));
        assertThat(new HomographyRansac().inliers(m, 100)).isEqualTo(60);
    }

    @Test
    void aSampleWithThreeCollinearPointsIsRefused() {
        double[] m = new double[16];
        double[][] a = {{10, 10}, {50, 50}, {90, 90}, {30, 200}}; // the first three on one line
        for (int i = 0; i < 4; i++) put(m, i, a[i][0], a[i][1], H);
        assertThat(HomographyRansac.fit(m, 0, 1, 2, 3, new double[9])).as("collinear in a").isFalse();

        double[] shared = matches(4, 0, new Random(4));
        for (int i = 1; i < 3; i++) { // three matches onto one keypoint of b
            shared[4 * i + 2] = shared[2];
            shared[4 * i + 3] = shared[3];
        }
        assertThat(HomographyRansac.fit(shared, 0, 1, 2, 3, new double[9])).as("coinciding in b").isFalse();
    }

    @Test
    void fewerThanFourMatchesHaveNoInliers() {
        assertThat(new HomographyRansac().inliers(matches(3, 0, new Random(5)), 3)).isZero();
    }

    /** The counts are BoofCV's RANSAC's, also where many matches share one keypoint of b (refused samples go to its DLT). */
    @Test
    void countsWhatBoofCvsRansacCounts() {
        Random rnd = new Random(6);
        HomographyRansac ours = new HomographyRansac();
        for (int trial = 0; trial < 40; trial++) {
            int inliers = 4 + rnd.nextInt(60), outliers = rnd.nextInt(60), n = inliers + outliers;
            double[] m = matches(inliers, outliers, rnd);
            if (trial % 4 == 0) { // a keypoint of b that many keypoints of a match
                for (int i = 0; i < n; i += 2) {
                    m[4 * i + 2] = 291.9;
                    m[4 * i + 3] = 59.97;
                }
            }
            List<AssociatedPair> pairs = new ArrayList<>();
            for (int i = 0; i < n; i++) pairs.add(new AssociatedPair(m[4 * i], m[4 * i + 1], m[4 * i + 2], m[4 * i + 3]));
            Ransac<Homography2D_F64, AssociatedPair> boof = FactoryMultiViewRobust.homographyRansac(
                    new ConfigHomography(), new ConfigRansac(HomographyRansac.ITERATIONS, HomographyRansac.THRESHOLD));
            int expected = boof.process(pairs) ? boof.getMatchSet().size() : 0;
            assertThat(ours.inliers(m, n)).as("trial %d, %d matches", trial, n).isEqualTo(expected);
        }
    }
}
