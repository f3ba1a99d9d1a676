package dev.exemplar.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float vectors as BLOBs: little-endian float32, 4 bytes a value, no header; the same layout as the
 * raw feature matrices the benchmarks read, and exact (raw bits, so NaN payloads and -0 survive).
 */
final class Blobs {
    private Blobs() { }

    /** The planes one after another, e.g. a thumbnail's L, a and b. */
    static byte[] fromFloats(float[]... planes) {
        int n = 0;
        for (float[] p : planes) n += p.length;
        ByteBuffer buf = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] p : planes) {
            for (float v : p) buf.putInt(Float.floatToRawIntBits(v));
        }
        return buf.array();
    }

    static float[] toFloats(byte[] blob) {
        if (blob.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a float32 BLOB must hold a multiple of 4 bytes, not " + blob.length);
        }
        float[] out = new float[blob.length / Float.BYTES];
        ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat(buf.getInt());
        return out;
    }

    /** Splits a BLOB written from equal planes back into {@code count} planes. */
    static float[][] toPlanes(byte[] blob, int count) {
        float[] all = toFloats(blob);
        if (all.length % count != 0) throw new IllegalArgumentException(all.length + " values do not split into " + count + " planes");
        int n = all.length / count;
        float[][] out = new float[count][n];
        for (int p = 0; p < count; p++) System.arraycopy(all, p * n, out[p], 0, n);
        return out;
    }

    /** Bytes a neighbour takes in a list: its task id (int64) and similarity (float32). */
    static final int NEIGHBOUR_BYTES = Long.BYTES + Float.BYTES;

    /** One item's neighbour list, {@code degree} entries from {@code from}: task id then similarity, little-endian. */
    static byte[] fromList(long[] neighbours, float[] similarities, int from, int degree) {
        ByteBuffer buf = ByteBuffer.allocate(degree * NEIGHBOUR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = from; t < from + degree; t++) {
            buf.putLong(neighbours[t]);
            buf.putInt(Float.floatToRawIntBits(similarities[t]));
        }
        return buf.array();
    }

    /** Reads a list of {@link #fromList} into the arrays from {@code from}; {@code degree} entries, as every list has. */
    static void toList(byte[] blob, long[] neighbours, float[] similarities, int from, int degree) {
        if (blob.length != degree * NEIGHBOUR_BYTES) {
            throw new IllegalArgumentException("a neighbour list of " + blob.length + " bytes where lists hold " + degree);
        }
        ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = from; t < from + degree; t++) {
            neighbours[t] = buf.getLong();
            similarities[t] = Float.intBitsToFloat(buf.getInt());
        }
    }
}
