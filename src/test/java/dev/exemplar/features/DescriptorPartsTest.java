package dev.exemplar.features;

import dev.exemplar.image.ImageLoader;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each part of the descriptor is computed fast, but means what its definition says: the definitions are written
 * here plainly, as they were computed before, and the fast parts must match them on real photographs and on flat and
 * synthetic thumbnails, to floating-point noise.
 */
class DescriptorPartsTest {
    private static final int S = 64;
    private static final List<Thumbnail> THUMBNAILS = new ArrayList<>();

    @BeforeAll
    static void thumbnails() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("samples", "rooms", "images"))) {
            for (Path p : files.sorted().limit(12).toList()) {
                THUMBNAILS.add(Thumbnails.lab(ImageLoader.defaults().load(p), S));
            }
        }
        float[] zero = new float[S * S];
        THUMBNAILS.add(new Thumbnail(S, zero, zero, zero)); // black: no gradient anywhere, every lightness tied
        Random random = new Random(3);
        float[] l = new float[S * S], a = new float[S * S], b = new float[S * S];
        for (int i = 0; i < l.length; i++) {
            l[i] = random.nextInt(5) * 25f; // few values: many ties and exactly horizontal and diagonal gradients
            a[i] = (float) (random.nextGaussian() * 70);
            b[i] = -a[i];
        }
        THUMBNAILS.add(new Thumbnail(S, l, a, b));
    }

    @Test
    void theColourHistogramIsTheSoftBinnedPyramidItWasDefinedAs() {
        for (Thumbnail t : THUMBNAILS) {
            assertClose(ColourHistogram.of(t), Definitions.colour(t.l(), t.a(), t.b(), S), 1e-5);
        }
    }

    @Test
    void theNeutralHistogramRanksLightnessWithTiesInPixelOrder() {
        for (Thumbnail t : THUMBNAILS) {
            assertClose(NeutralColourHistogram.of(t), Definitions.neutral(t), 1e-5);
        }
    }

    @Test
    void theOrderOfLightnessIsAStableSort() {
        Random random = new Random(5);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (random.nextInt(4)) {
                case 0 -> -0.0f;
                case 1 -> 0.0f;
                case 2 -> random.nextInt(7) - 3;
                default -> (float) random.nextGaussian() * 1e6f;
            };
        }
        Integer[] expected = new Integer[values.length];
        for (int i = 0; i < values.length; i++) expected[i] = i;
        Arrays.sort(expected, (x, y) -> Float.compare(values[x], values[y])); // stable

        assertThat(NeutralColourHistogram.order(values)).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }

    @Test
    void theLayoutIsTheLowBandOfAThreeLevelHaarTransform() {
        for (Thumbnail t : THUMBNAILS) {
            assertClose(Layout.of(t), Definitions.layout(t, S), 1e-4);
        }
    }

    @Test
    void theGradientHistogramBinsTheAngleOfEachGradient() {
        for (Thumbnail t : THUMBNAILS) {
            assertClose(GradientHistogram.of(t.l(), S), Definitions.gradients(t.l(), S), 1e-5);
        }
    }

    @Test
    void theOrientationIsTheAngleModuloPi() {
        Random random = new Random(9);
        double[] special = {0, 1, -1, 2, -2, 1e-30, -1e-30, 1e30};
        for (int i = 0; i < 200_000; i++) {
            double gx = i < special.length * special.length ? special[i % special.length] : random.nextGaussian();
            double gy = i < special.length * special.length ? special[i / special.length] : random.nextGaussian();
            if (gx == 0 && gy == 0) continue;
            double expected = Math.atan2(gy, gx);
            if (expected < 0) expected += Math.PI;
            double actual = GradientHistogram.orientation(gx, gy);

            // 0 and pi are one orientation: both put half the weight in the first and the last bin
            double error = Math.min(Math.abs(actual - expected), Math.PI - Math.abs(actual - expected));
            assertThat(error).as("(%s, %s)", gx, gy).isLessThan(1e-8);
            assertThat(actual).isBetween(0.0, Math.PI);
        }
    }

    @Test
    void theTextureHistogramCountsLocalBinaryPatternsExactly() {
        for (Thumbnail t : THUMBNAILS) {
            assertThat(TextureHistogram.of(t.l(), S)).containsExactly(Definitions.texture(t.l(), S));
        }
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("value %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    /** The parts as first written: plain loops and library calls. */
    private static final class Definitions {
        static float[] colour(float[] l, float[] a, float[] b, int s) {
            int bins = ColourHistogram.BINS, half = s / 2;
            float[] out = new float[bins * 5];
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int i = y * s + x;
                    int quadrant = 1 + (y < half ? 0 : 2) + (x < half ? 0 : 1);
                    add(out, 0, l[i], a[i], b[i]);
                    add(out, quadrant * bins, l[i], a[i], b[i]);
                }
            }
            for (int r = 0; r < 5; r++) {
                double sum = 0;
                for (int k = 0; k < bins; k++) sum += out[r * bins + k];
                double scale = (r == 0 ? 2.0 : 1.0) / Math.max(sum, 1e-9);
                for (int k = 0; k < bins; k++) out[r * bins + k] = (float) Math.sqrt(out[r * bins + k] * scale);
            }
            return out;
        }

        private static void add(float[] h, int base, float l, float a, float b) {
            int lb = ColourHistogram.LB, ab = ColourHistogram.AB, bb = ColourHistogram.BB;
            float fl = pos(l / 100f, lb), fa = pos((a + 60) / 120f, ab), fb = pos((b + 60) / 120f, bb);
            int l0 = (int) fl, a0 = (int) fa, b0 = (int) fb;
            float wl = fl - l0, wa = fa - a0, wb = fb - b0;
            for (int dl = 0; dl < 2; dl++) {
                for (int da = 0; da < 2; da++) {
                    for (int db = 0; db < 2; db++) {
                        float w = (dl == 0 ? 1 - wl : wl) * (da == 0 ? 1 - wa : wa) * (db == 0 ? 1 - wb : wb);
                        h[base + (Math.min(l0 + dl, lb - 1) * ab + Math.min(a0 + da, ab - 1)) * bb + Math.min(b0 + db, bb - 1)] += w;
                    }
                }
            }
        }

        private static float pos(float unit, int bins) {
            return Math.max(0, Math.min(bins - 1, unit * bins - 0.5f));
        }

        static float[] neutral(Thumbnail t) {
            int n = t.l().length;
            float[] l = new float[n], a = new float[n], b = new float[n];
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            Arrays.sort(idx, (x, y) -> Float.compare(t.l()[x], t.l()[y]));
            for (int r = 0; r < n; r++) l[idx[r]] = 100f * (r + 0.5f) / n;
            double ma = 0, mb = 0;
            for (int i = 0; i < n; i++) {
                ma += t.a()[i];
                mb += t.b()[i];
            }
            ma /= n;
            mb /= n;
            for (int i = 0; i < n; i++) {
                a[i] = (float) (t.a()[i] - ma);
                b[i] = (float) (t.b()[i] - mb);
            }
            return colour(l, a, b, t.size());
        }

        static float[] layout(Thumbnail t, int s) {
            float[] l = t.l().clone();
            double mean = 0;
            for (float v : l) mean += v;
            mean /= l.length;
            for (int i = 0; i < l.length; i++) l[i] -= (float) mean;
            float[][] bands = {low(l, s), low(t.a(), s), low(t.b(), s)};
            float[] out = new float[bands[0].length * 3];
            for (int g = 0; g < bands[0].length; g++) for (int c = 0; c < 3; c++) out[g * 3 + c] = bands[c][g];
            return out;
        }

        private static float[] low(float[] plane, int s) {
            return Wavelet.lowBand(Wavelet.forward(plane, s, Layout.LEVELS, Wavelet.Family.HAAR), s, Layout.LEVELS);
        }

        static float[] gradients(float[] plane, int size) {
            int cell = GradientHistogram.CELL, bins = GradientHistogram.BINS, cells = size / cell;
            float[] hist = new float[cells * cells * bins];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float gx = plane[y * size + Math.min(x + 1, size - 1)] - plane[y * size + Math.max(x - 1, 0)];
                    float gy = plane[Math.min(y + 1, size - 1) * size + x] - plane[Math.max(y - 1, 0) * size + x];
                    float mag = (float) Math.sqrt(gx * gx + gy * gy);
                    if (mag == 0) continue;
                    double angle = Math.atan2(gy, gx);
                    if (angle < 0) angle += Math.PI;
                    float pos = (float) (angle / Math.PI * bins) - 0.5f;
                    int b0 = (int) Math.floor(pos);
                    float w1 = pos - b0;
                    int c = (Math.min(y / cell, cells - 1) * cells + Math.min(x / cell, cells - 1)) * bins;
                    hist[c + Math.floorMod(b0, bins)] += mag * (1 - w1);
                    hist[c + Math.floorMod(b0 + 1, bins)] += mag * w1;
                }
            }
            int blocks = cells - 1;
            float[] out = new float[blocks * blocks * 4 * bins];
            int at = 0;
            for (int by = 0; by < blocks; by++) {
                for (int bx = 0; bx < blocks; bx++) {
                    for (int cy = 0; cy < 2; cy++)
                        for (int cx = 0; cx < 2; cx++)
                            System.arraycopy(hist, ((by + cy) * cells + bx + cx) * bins, out, at + (cy * 2 + cx) * bins, bins);
                    for (int pass = 0; pass < 2; pass++) {
                        double sum = 1e-6;
                        for (int i = at; i < at + 4 * bins; i++) sum += out[i] * out[i];
                        float inv = (float) (1 / Math.sqrt(sum));
                        for (int i = at; i < at + 4 * bins; i++) out[i] = Math.min(out[i] * inv, pass == 0 ? 0.2f : 1f);
                    }
                    at += 4 * bins;
                }
            }
            return out;
        }

        static float[] texture(float[] plane, int size) {
            int bins = TextureHistogram.BINS;
            float[] out = new float[bins * 10];
            pool(plane, size, out, 0);
            pool(TextureHistogram.halve(plane, size), size / 2, out, bins * 5);
            for (int r = 0; r < 10; r++) {
                double s = 0;
                for (int k = 0; k < bins; k++) s += out[r * bins + k];
                double scale = (r % 5 == 0 ? 2.0 : 1.0) / Math.max(s, 1e-9);
                for (int k = 0; k < bins; k++) out[r * bins + k] = (float) Math.sqrt(out[r * bins + k] * scale);
            }
            return out;
        }

        private static void pool(float[] p, int s, float[] out, int base) {
            int bins = TextureHistogram.BINS, half = s / 2;
            int[] dx = {1, 1, 0, -1, -1, -1, 0, 1}, dy = {0, 1, 1, 1, 0, -1, -1, -1};
            for (int y = 1; y < s - 1; y++) {
                for (int x = 1; x < s - 1; x++) {
                    float c = p[y * s + x];
                    int code = 0;
                    for (int b = 0; b < 8; b++) if (p[(y + dy[b]) * s + x + dx[b]] >= c + 0.5f) code |= 1 << b;
                    int transitions = 0;
                    for (int b = 0; b < 8; b++) if ((code >> b & 1) != (code >> (b + 1 & 7) & 1)) transitions++;
                    int bin = transitions <= 2 ? uniformIndex(code) : bins - 1;
                    int q = 1 + (y < half ? 0 : 2) + (x < half ? 0 : 1);
                    out[base + bin]++;
                    out[base + q * bins + bin]++;
                }
            }
        }

        /** The rank of a uniform pattern among the uniform patterns 0..255. */
        private static int uniformIndex(int code) {
            int rank = 0;
            for (int p = 0; p < code; p++) {
                int transitions = 0;
                for (int b = 0; b < 8; b++) if ((p >> b & 1) != (p >> (b + 1 & 7) & 1)) transitions++;
                if (transitions <= 2) rank++;
            }
            return rank;
        }
    }
}
