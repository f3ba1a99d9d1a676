package dev.exemplar.summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's descriptor rows in a temporary file, deleted on close, instead of the heap: 16 KB an image whatever its
 * size, which at a million small images is 16 GB. Rows are written from any thread as the features are computed,
 * each at its slot, then read through a memory mapping: the operating system keeps in memory what fits, the heap
 * holds none of it. Written with positioned writes, so a full disk is an error to catch (a write into a mapping
 * would be a fault); a row that cannot be written, or every row where no temporary file can be made, stays in memory.
 */
final class RowFile implements AutoCloseable {
    private final FileChannel channel;
    private final Map<Integer, float[]> held = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteBuffer> scratch = new ThreadLocal<>();
    /** Values per row: set by the first row written. */
    private volatile int dim = -1;
    /** Rows per mapped segment: a mapping holds at most 2 GB. */
    private int rowsPerSegment;
    private FloatBuffer[] segments;
    private final long segmentBytes;

    private RowFile(FileChannel channel, long segmentBytes) {
        this.channel = channel;
        this.segmentBytes = segmentBytes;
    }

    /** A new file in the temporary folder; without one (none writable), the rows stay in memory. */
    static RowFile create() {
        return create(Integer.MAX_VALUE);
    }

    /** As {@link #create()}, mapped in segments of at most this many bytes. */
    static RowFile create(long segmentBytes) {
        return new RowFile(TemporaryFiles.open("exemplar-rows-"), segmentBytes);
    }

    /** Keeps a row at its slot: every row of one length, each slot written once, all before any is read. */
    void put(int slot, float[] row) {
        if (dim < 0) {
            synchronized (this) {
                if (dim < 0) {
                    rowsPerSegment = (int) Math.max(1, segmentBytes / Float.BYTES / Math.max(1, row.length));
                    dim = row.length;
                }
            }
        }
        if (row.length != dim) throw new IllegalArgumentException("a row of " + row.length + " values, not " + dim);
        if (channel != null) {
            ByteBuffer b = scratch.get();
            if (b == null || b.capacity() != dim * Float.BYTES) {
                b = ByteBuffer.allocateDirect(dim * Float.BYTES).order(ByteOrder.nativeOrder());
                scratch.set(b);
            }
            b.clear();
            b.asFloatBuffer().put(row);
            long at = (long) slot * dim * Float.BYTES;
            try {
                while (b.hasRemaining()) at += channel.write(b, at);
                return;
            } catch (IOException e) {
                // a full disk: this row stays in memory, the run goes on
            }
        }
        held.put(slot, row);
    }

    /** The rows at these slots, in this order; the file is read-only from here on. */
    synchronized Rows rows(int[] slots) {
        if (segments == null) segments = map();
        return new View(slots);
    }

    private FloatBuffer[] map() {
        if (channel == null || dim <= 0) return new FloatBuffer[0];
        try {
            long size = channel.size(), bytes = (long) rowsPerSegment * dim * Float.BYTES;
            FloatBuffer[] out = new FloatBuffer[(int) ((size + bytes - 1) / bytes)];
            for (int s = 0; s < out.length; s++) {
                long from = s * bytes;
                out[s] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(bytes, size - from))
                        .order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the feature rows: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        TemporaryFiles.close(channel);
    }

    private final class View extends Rows {
        private final int[] slots;

        View(int[] slots) {
            this.slots = slots;
        }

        @Override
        public int size() {
            return slots.length;
        }

        @Override
        public int dim() {
            return Math.max(0, dim);
        }

        @Override
        float[] row(int i, float[] buffer) {
            int slot = slots[i];
            if (!held.isEmpty()) {
                float[] r = held.get(slot);
                if (r != null) return r;
            }
            segments[slot / rowsPerSegment].get(slot % rowsPerSegment * dim, buffer, 0, dim);
            return buffer;
        }

        @Override
        Rows view(int[] which) {
            int[] out = new int[which.length];
            for (int p = 0; p < which.length; p++) out[p] = slots[which[p]];
            return new View(out);
        }
    }
}
