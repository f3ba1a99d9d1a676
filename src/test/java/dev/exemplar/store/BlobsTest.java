package dev.exemplar.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobsTest {
    @Test
    void floatsAreLittleEndianFloat32WithoutAHeader() {
        // 1.0f is 0x3F800000
        assertThat(Blobs.fromFloats(new float[] {1.0f})).containsExactly(0x00, 0x00, 0x80, 0x3F);
    }

    @Test
    void everyBitSurvivesARoundTrip() {
        float[] v = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.intBitsToFloat(0x7fc01234),
                Float.NEGATIVE_INFINITY, 0.1f, -3.5e-30f};
        float[] back = Blobs.toFloats(Blobs.fromFloats(v));
        assertThat(back).hasSize(v.length);
        for (int i = 0; i < v.length; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(v[i]));
        }
    }

    @Test
    void planesAreWrittenOneAfterAnotherAndSplitBack() {
        float[] l = {1, 2}, a = {3, 4}, b = {5, 6};
        float[][] planes = Blobs.toPlanes(Blobs.fromFloats(l, a, b), 3);
        assertThat(planes[0]).containsExactly(l);
        assertThat(planes[1]).containsExactly(a);
        assertThat(planes[2]).containsExactly(b);
    }

    @Test
    void aTruncatedBlobIsRejected() {
        assertThatThrownBy(() -> Blobs.toFloats(new byte[] {1, 2, 3})).hasMessageContaining("multiple of 4");
    }
}
