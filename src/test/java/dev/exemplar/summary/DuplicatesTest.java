package dev.exemplar.summary;

import dev.exemplar.features.Descriptor;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DuplicatesTest {
    /** A random smooth pattern with a colour cast, drawn at any scale, offset and brightness. */
    record Pattern(double[] fx, double[] fy, double[] phase, double a, double b) {
        static Pattern random(Random r) {
            double[] fx = new double[6], fy = new double[6], ph = new double[6];
            for (int k = 0; k < 6; k++) {
                fx[k] = r.nextGaussian() * 9;
                fy[k] = r.nextGaussian() * 9;
                ph[k] = r.nextDouble() * 2 * Math.PI;
            }
            return new Pattern(fx, fy, ph, r.nextGaussian() * 30, r.nextGaussian() * 30);
        }

        Thumbnail draw(double scale, double dx, double dy, double brightness, boolean grey) {
            int s = 64;
            float[] l = new float[s * s], a = new float[s * s], b = new float[s * s];
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double u = (x + 0.5) / s - 0.5, v = (y + 0.5) / s - 0.5;
                    u = u / scale + dx;
                    v = v / scale + dy;
                    double f = 0;
                    for (int k = 0; k < fx.length; k++) f += Math.sin(fx[k] * u + fy[k] * v + phase[k]);
                    l[y * s + x] = (float) Math.max(0, Math.min(100, (50 + 12 * f) * brightness));
                    a[y * s + x] = grey ? 0 : (float) (this.a + 3 * f);
                    b[y * s + x] = grey ? 0 : (float) (this.b - 3 * f);
                }
            }
            return new Thumbnail(s, l, a, b);
        }
    }

    @Test
    void aRescaledShiftedBrighterCopyMatchesAndAnotherPatternDoesNot() {
        Random r = new Random(1);
        Pattern p = Pattern.random(r), q = Pattern.random(r);
        Thumbnail original = p.draw(1, 0, 0, 1, false);

        Duplicates.Match copy = Duplicates.compare(original, p.draw(1.06, 0.03, -0.02, 1.05, false), 32);
        Duplicates.Match other = Duplicates.compare(original, q.draw(1, 0, 0, 1, false), 32);

        assertThat(copy.ssim()).isGreaterThan(0.95);
        assertThat(copy.colour()).isLessThan(2.0);
        assertThat(other.ssim()).isLessThan(0.7);
    }

    @Test
    void aTinyPictureIsKeptAtItsOwnSideAndComparesAsItsWholeThumbnailDoes() {
        Random r = new Random(4);
        BufferedImage tiny = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), other = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                tiny.setRGB(x, y, r.nextInt(1 << 24));
                other.setRGB(x, y, r.nextBoolean() ? tiny.getRGB(x, y) : r.nextInt(1 << 24));
            }
        }
        Thumbnail whole = Thumbnails.lab(tiny, 64), otherWhole = Thumbnails.lab(other, 64);
        Thumbnail kept = Duplicates.compared(whole), otherKept = Duplicates.compared(otherWhole);

        assertThat(kept.size()).isEqualTo(8);
        Thumbnail full = new Thumbnail(32, Duplicates.shrink(whole.l(), 64, 32), Duplicates.shrink(whole.a(), 64, 32), Duplicates.shrink(whole.b(), 64, 32));
        assertThat(Duplicates.resample(kept.l(), 8, 32)).containsExactly(full.l(), within(Duplicates.SAME_VALUE));
        Duplicates.Match asKept = Duplicates.compare(kept, otherKept, 32), asWhole = Duplicates.compare(whole, otherWhole, 32);
        assertThat(asKept.ssim()).isCloseTo(asWhole.ssim(), within(1e-4));
        assertThat(asKept.colour()).isCloseTo(asWhole.colour(), within(1e-3));
        assertThat(Duplicates.chroma(kept)).isCloseTo(Duplicates.chroma(whole), within(1e-3));
    }

    @Test
    void aDetailedThumbnailIsKeptAtTheComparedSide() {
        Thumbnail photo = Pattern.random(new Random(5)).draw(1, 0, 0, 1, false);

        assertThat(Duplicates.compared(photo).size()).isEqualTo(Duplicates.SIDE);
    }

    @Test
    void groupsAreTheCopiesAndNothingElse() {
        Random r = new Random(2);
        Pattern[] patterns = new Pattern[12];
        for (int i = 0; i < patterns.length; i++) patterns[i] = Pattern.random(r);
        // items 0..11 are distinct; 12 copies 3, 13 copies 7, 14 copies 7 again
        Thumbnail[] t = new Thumbnail[15];
        for (int i = 0; i < 12; i++) t[i] = patterns[i].draw(1, 0, 0, 1, false);
        t[12] = patterns[3].draw(0.95, 0.02, 0.01, 0.96, false);
        t[13] = patterns[7].draw(1.04, -0.03, 0, 1.0, false);
        t[14] = patterns[7].draw(1.0, 0.01, 0.03, 1.08, false);

        List<int[]> groups = groups(t, new double[15], new boolean[15]);

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly(3, 12);
        assertThat(groups.get(1)).containsExactly(7, 13, 14);
    }

    @Test
    void aCopyKeepsItsAspectRatio() {
        Pattern p = Pattern.random(new Random(3));
        Thumbnail[] t = {p.draw(1, 0, 0, 1, false), p.draw(1, 0.005, 0, 1, false)};

        assertThat(groups(t, new double[] {1.5, 1.5}, new boolean[2])).hasSize(1);
        assertThat(groups(t, new double[] {1.5, 16 / 9.0}, new boolean[2])).isEmpty();
    }

    @Test
    void greyImagesNeedCloserStructureThanColouredOnes() {
        Pattern p = Pattern.random(new Random(4));
        // a blend of two patterns: structurally close to p, but not a copy of it
        Thumbnail grey = p.draw(1, 0, 0, 1, true);
        Thumbnail shifted = p.draw(1.12, 0.06, 0.06, 1, true);
        double ssim = Duplicates.compare(grey, shifted, 32).ssim();
        assertThat(ssim).isBetween(Duplicates.DRAWING_SSIM - 0.2, 1.0);

        boolean greyCopy = ssim >= Duplicates.GREY_SSIM;
        assertThat(groups(new Thumbnail[] {grey, shifted}, new double[2], new boolean[2]).isEmpty()).isEqualTo(!greyCopy);
    }

    private static List<int[]> groups(Thumbnail[] t, double[] aspect, boolean[] photographs) {
        float[][] x = new float[t.length][];
        for (int i = 0; i < t.length; i++) x[i] = Descriptor.of(t[i], Descriptor.Weights.DEFAULT);
        NeighbourGraph g = NeighbourGraph.exact(x, 10);
        return Duplicates.groups(g, Rows.of(x), i -> t[i], aspect, photographs, Progress.NONE);
    }
}
