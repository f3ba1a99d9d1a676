package dev.exemplar.analysis;

import dev.exemplar.features.Kernels;
import dev.exemplar.image.Thumbnail;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WaveletRowsTest {

    /** A 64 x 64 lightness image: a few bright strokes on black, placed at (dx, dy), intensity scaled. */
    static Thumbnail strokes(long seed, int dx, int dy, float scale) {
        Random rnd = new Random(seed);
        float[] l = new float[64 * 64], zero = new float[64 * 64];
        for (int k = 0; k < 4; k++) {
            int x0 = 16 + rnd.nextInt(24), y0 = 16 + rnd.nextInt(24), w = 2 + rnd.nextInt(14), h = 2 + rnd.nextInt(14);
            for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) l[(y + dy) * 64 + x + dx] = 90 * scale;
        }
        return new Thumbnail(64, l, zero.clone(), zero.clone());
    }

    @Test
    void aShiftedAndDimmedCopyGetsNearlyTheRowOfItsOriginal() {
        float[][] rows = WaveletRows.of(List.of(strokes(1, 0, 0, 1), strokes(1, 3, -2, 0.9f), strokes(2, 0, 0, 1)));
        for (float[] r : rows) assertThat(Kernels.dotInDouble(r, r)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
        double copy = Kernels.dotInDouble(rows[0], rows[1]), other = Kernels.dotInDouble(rows[0], rows[2]);
        assertThat(copy).isGreaterThan(0.99);
        assertThat(other).isLessThan(copy - 0.2);
    }

    @Test
    void distinctImagesCountsEachGroupOfCopiesOnce() {
        List<Thumbnail> t = new ArrayList<>();
        int groups = 0;
        Random rnd = new Random(3);
        for (int g = 0; g < 40; g++, groups++) {
            t.add(strokes(100 + g, 0, 0, 1));
            int copies = g % 4 == 0 ? 2 : g % 3 == 0 ? 1 : 0; // some pictures have copies, shifted or dimmed
            for (int c = 0; c < copies; c++) t.add(strokes(100 + g, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2, 0.85f + 0.1f * rnd.nextFloat()));
        }
        assertThat(DistinctImages.count(WaveletRows.of(t), 7)).isEqualTo(groups);
    }
}
