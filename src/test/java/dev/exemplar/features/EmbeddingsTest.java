package dev.exemplar.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmbeddingsTest {
    @TempDir
    Path tmp;

    private static final Map<String, float[]> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("a.jpg", new float[] {0.5f, -1.25f, 3f});
        EXPECTED.put("sub/b.jpg", new float[] {0f, 2f, 1e-3f});
    }

    @Test
    void itemsWithEmbeddingsAreJoinedAtEqualWeightAsBefore() {
        float[] d = {0.6f, 0.8f}, e = {3, 0, 4};
        float h = (float) Math.sqrt(0.5);
        assertThat(Embeddings.join(d, e, 3)).containsExactly(new float[] {0.6f * h, 0.8f * h, 0.6f * h, 0, 0.8f * h}, within(1e-7f));
        assertThat(Embeddings.join(d, null, 0)).isSameAs(d);
    }

    @Test
    void aPairWhereEitherLacksTheEmbeddingIsComparedByItsDescriptorsAtFullScale() {
        float[] a = {0.6f, 0.8f}, b = {1, 0}, c = {0, 1};
        float[] withA = Embeddings.join(a, new float[] {1, 0}, 2), withB = Embeddings.join(b, new float[] {0, 1}, 2);
        float[] onlyB = Embeddings.join(b, null, 2), onlyC = Embeddings.join(c, new float[] {1}, 2); // a wrong length is none
        assertThat(Embeddings.descriptorOnly(withA, 2)).isFalse();
        assertThat(Embeddings.descriptorOnly(onlyB, 2)).isTrue();
        assertThat(Embeddings.descriptorOnly(onlyC, 2)).isTrue();
        assertThat(Kernels.dot(onlyB, onlyB)).isCloseTo(1f, within(1e-6f));
        // both have one: half the descriptors' cosine and half the embeddings'
        assertThat(similarity(withA, withB)).isCloseTo(0.5 * 0.6, within(1e-6));
        // one or both lack it: the descriptors' cosine, as without embeddings
        assertThat(similarity(withA, onlyB)).isCloseTo(0.6, within(1e-6));
        assertThat(similarity(onlyB, withA)).isCloseTo(0.6, within(1e-6));
        assertThat(similarity(withA, onlyC)).isCloseTo(0.8, within(1e-6));
        assertThat(similarity(onlyB, onlyC)).isCloseTo(0, within(1e-6));
    }

    private static double similarity(float[] x, float[] y) {
        return Embeddings.similarity(Kernels.dot(x, y), Embeddings.descriptorOnly(x, 2), Embeddings.descriptorOnly(y, 2));
    }

    @Test
    void csvWithAndWithoutHeader() throws IOException {
        String rows = "a.jpg,0.5,-1.25,3\nsub/b.jpg, 0, 2, 0.001\n";
        assertSame(Embeddings.read(Files.writeString(tmp.resolve("plain.csv"), rows)));
        assertSame(Embeddings.read(Files.writeString(tmp.resolve("header.csv"), "name,x,y,z\n" + rows)));
    }

    @Test
    void jsonLinesWithEachAcceptedKey() throws IOException {
        Path f = Files.writeString(tmp.resolve("e.jsonl"), """
                {"name": "a.jpg", "vector": [0.5, -1.25, 3]}

                {"file": "sub/b.jpg", "embedding": [0, 2, 0.001]}
                """);
        assertSame(Embeddings.read(f));
        Path g = Files.writeString(tmp.resolve("g.jsonl"), """
                {"item": "a.jpg", "embedding": [0.5, -1.25, 3]}
                {"item": "sub/b.jpg", "vector": [0, 2, 0.001]}
                """);
        assertSame(Embeddings.read(g));
    }

    @Test
    void npyFloat32AndFloat64WithNames() throws IOException {
        for (boolean doubles : new boolean[] {false, true}) {
            Path npy = tmp.resolve((doubles ? "f8" : "f4") + ".npy");
            Files.write(npy, npy(doubles, 2, 3, new double[] {0.5, -1.25, 3, 0, 2, 1e-3}));
            Files.writeString(tmp.resolve((doubles ? "f8" : "f4") + ".names"), "a.jpg\nsub/b.jpg\n");
            assertSame(Embeddings.read(npy));
        }
    }

    @Test
    void mismatchedDimensionsAreRefused() throws IOException {
        Path csv = Files.writeString(tmp.resolve("bad.csv"), "a.jpg,1,2,3\nb.jpg,1,2\n");
        assertThatThrownBy(() -> Embeddings.read(csv)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 2").hasMessageContaining("b.jpg has 2 values where earlier ones have 3");
        Path jsonl = Files.writeString(tmp.resolve("bad.jsonl"),
                "{\"name\": \"a\", \"vector\": [1]}\n{\"name\": \"b\", \"vector\": [1, 2]}\n");
        assertThatThrownBy(() -> Embeddings.read(jsonl)).hasMessageContaining("has 2 values where earlier ones have 1");
    }

    @Test
    void npyRowsMustMatchTheNames() throws IOException {
        Path npy = tmp.resolve("rows.npy");
        Files.write(npy, npy(false, 2, 3, new double[6]));
        Files.writeString(tmp.resolve("rows.names"), "only-one.jpg\n");
        assertThatThrownBy(() -> Embeddings.read(npy)).hasMessageContaining("has 2 rows but rows.names has 1 names");
    }

    @Test
    void npyWithoutNamesFileIsRefused() throws IOException {
        Path npy = tmp.resolve("alone.npy");
        Files.write(npy, npy(false, 1, 2, new double[2]));
        assertThatThrownBy(() -> Embeddings.read(npy)).hasMessageContaining("the names file alone.names is missing");
    }

    @Test
    void unsupportedNpyTypeAndUnknownFormat() throws IOException {
        Path ints = tmp.resolve("ints.npy");
        Files.write(ints, withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }", new byte[8]));
        Files.writeString(tmp.resolve("ints.names"), "a\n");
        assertThatThrownBy(() -> Embeddings.read(ints)).hasMessageContaining("unsupported dtype <i4");
        Path other = Files.writeString(tmp.resolve("vectors.bin"), "nothing useful");
        assertThatThrownBy(() -> Embeddings.read(other)).hasMessageContaining("unknown embeddings format");
    }

    private static void assertSame(Map<String, float[]> m) {
        assertThat(m).containsOnlyKeys(EXPECTED.keySet());
        EXPECTED.forEach((k, v) -> assertThat(m.get(k)).as(k).containsExactly(v));
    }

    /** A version 1.0 .npy file, little-endian, C order. */
    static byte[] npy(boolean doubles, int rows, int cols, double[] values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * (doubles ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (doubles) data.putDouble(v);
            else data.putFloat((float) v);
        }
        String header = "{'descr': '" + (doubles ? "<f8" : "<f4") + "', 'fortran_order': False, 'shape': ("
                + rows + ", " + cols + "), }";
        return withHeader(header, data.array());
    }

    private static byte[] withHeader(String header, byte[] data) {
        // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary
        int len = 10 + header.length() + 1;
        String padded = header + " ".repeat((64 - len % 64) % 64) + "\n";
        byte[] h = padded.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }
}
