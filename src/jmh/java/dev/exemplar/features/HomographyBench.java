package dev.exemplar.features;

import boofcv.alg.geo.robust.GenerateHomographyLinear;
import boofcv.factory.geo.ConfigHomography;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.geo.AssociatedPair;
import georegression.struct.homography.Homography2D_F64;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scene verification's homography: one 4-point fit in closed form against BoofCV's normalised DLT (an SVD), and
 * the whole RANSAC of 120 samples over 100 matches (60 inliers) against BoofCV's. Run with
 * {@code mvn -B -Pjmh package exec:exec -Djmh.args=HomographyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class HomographyBench {
    double[] m = new double[4 * 100], h = new double[9];
    List<AssociatedPair> pairs = new ArrayList<>();
    final HomographyRansac ransac = new HomographyRansac();
    final GenerateHomographyLinear dlt = new GenerateHomographyLinear(true);
    final Homography2D_F64 model = new Homography2D_F64();

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            double x = rnd.nextDouble() * 320, y = rnd.nextDouble() * 240, z = 1e-4 * x + 2e-4 * y + 1;
            double u = (1.1 * x + 0.05 * y + 12) / z, v = (-0.03 * x + 0.95 * y - 7) / z;
            if (i >= 60) { // an outlier
                u += 20 + rnd.nextDouble() * 80;
                v -= 20 + rnd.nextDouble() * 80;
            }
            m[4 * i] = x;
            m[4 * i + 1] = y;
            m[4 * i + 2] = u;
            m[4 * i + 3] = v;
            pairs.add(new AssociatedPair(x, y, u, v));
        }
    }

    @Benchmark
    public boolean fitClosedForm() {
        return HomographyRansac.fit(m, 0, 1, 2, 3, h);
    }

    @Benchmark
    public boolean fitBoofCvDlt() {
        return dlt.generate(pairs.subList(0, 4), model);
    }

    @Benchmark
    public int ransac() {
        return ransac.inliers(m, 100);
    }

    @Benchmark
    public int ransacBoofCv() {
        var r = FactoryMultiViewRobust.homographyRansac(new ConfigHomography(), new ConfigRansac(120, 4.0));
        return r.process(pairs) ? r.getMatchSet().size() : 0;
    }
}
