package dev.exemplar.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exemplar.image.Thumbnail;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a run keeps of its items in files comes back as it was put, by slot, in any order and from any thread. */
class FeatureFilesTest {
    @Test
    void rowsWrittenFromManyThreadsAreReadBackBySlotAcrossSegments() {
        Random rnd = new Random(5);
        int n = 500, d = 37;
        float[][] x = new float[n][d];
        for (float[] row : x) for (int t = 0; t < d; t++) row[t] = rnd.nextFloat() - 0.5f;
        // segments of 10 rows: most reads cross from one mapping to the next
        try (RowFile file = RowFile.create(10L * d * Float.BYTES)) {
            IntStream.range(0, n).parallel().forEach(i -> file.put(i, x[i]));
            int[] slots = IntStream.range(0, n).map(i -> n - 1 - i).toArray();
            Rows rows = file.rows(slots);

            assertThat(rows.size()).isEqualTo(n);
            assertThat(rows.dim()).isEqualTo(d);
            float[] buffer = new float[d];
            for (int p = 0; p < n; p++) assertThat(rows.row(p, buffer)).containsExactly(x[n - 1 - p]);
            Rows picked = rows.select(new int[] {3, 3, 499, 0});
            assertThat(picked.copy(0)).containsExactly(x[496]);
            assertThat(picked.copy(1)).containsExactly(x[496]);
            assertThat(picked.copy(2)).containsExactly(x[0]);
            assertThat(picked.copy(3)).containsExactly(x[499]);
        }
    }

    @Test
    void rowsOfAnotherLengthThanTheFirstAreRefused() {
        try (RowFile file = RowFile.create()) {
            file.put(0, new float[4]);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> file.put(1, new float[5]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 values, not 4");
        }
    }

    @Test
    void thumbnailsOfEverySideAreReadBackAsTheyWere() {
        Random rnd = new Random(9);
        int[] sides = {32, 1, 8, 2, 16, 32, 4};
        Thumbnail[] t = new Thumbnail[sides.length];
        for (int i = 0; i < t.length; i++) {
            int plane = sides[i] * sides[i];
            float[] l = new float[plane], a = new float[plane], b = new float[plane];
            for (int p = 0; p < plane; p++) {
                l[p] = rnd.nextFloat() * 100;
                a[p] = rnd.nextFloat() * 255 - 128;
                b[p] = rnd.nextFloat() * 255 - 128;
            }
            t[i] = new Thumbnail(sides[i], l, a, b);
        }
        try (ThumbnailFile file = ThumbnailFile.create(t.length)) {
            IntStream.range(0, t.length).parallel().forEach(i -> file.put(i, t[i]));
            IntFunction<Thumbnail> read = file.of(new int[] {6, 5, 4, 3, 2, 1, 0});
            for (int p = 0; p < t.length; p++) {
                Thumbnail expected = t[t.length - 1 - p], got = read.apply(p);
                assertThat(got.size()).isEqualTo(expected.size());
                assertThat(got.l()).containsExactly(expected.l());
                assertThat(got.a()).containsExactly(expected.a());
                assertThat(got.b()).containsExactly(expected.b());
            }
        }
    }
}
