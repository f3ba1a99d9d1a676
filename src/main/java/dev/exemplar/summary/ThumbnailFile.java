package dev.exemplar.summary;

import dev.exemplar.image.Thumbnail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The thumbnails a run compares, in a temporary file deleted on close, instead of the heap: 12 KB a photograph,
 * which at a hundred thousand is more than the rest of what a run keeps. Written from any thread as the features are
 * computed, each at its slot; read back one at a time, by the duplicate check, for the pairs it confirms. A
 * thumbnail that cannot be written (a full disk), or every one where no temporary file can be made, stays in memory.
 */
final class ThumbnailFile implements AutoCloseable {
    private final FileChannel channel;
    private final AtomicLong end = new AtomicLong();
    /** Per slot: where its planes start in the file, and the thumbnail's side (0 for none written). */
    private final long[] offsets;
    private final int[] sides;
    private final Map<Integer, Thumbnail> held = new ConcurrentHashMap<>();

    private ThumbnailFile(FileChannel channel, int slots) {
        this.channel = channel;
        this.offsets = new long[slots];
        this.sides = new int[slots];
    }

    /** A new file for this many slots in the temporary folder; without one, the thumbnails stay in memory. */
    static ThumbnailFile create(int slots) {
        return new ThumbnailFile(TemporaryFiles.open("exemplar-thumbnails-"), slots);
    }

    /** Keeps a thumbnail at its slot (each slot written once, before it is read). */
    void put(int slot, Thumbnail t) {
        if (channel != null) {
            int plane = t.size() * t.size();
            ByteBuffer b = ByteBuffer.allocate(3 * plane * Float.BYTES).order(ByteOrder.nativeOrder());
            b.asFloatBuffer().put(t.l()).put(t.a()).put(t.b());
            long at = end.getAndAdd(b.capacity());
            try {
                for (long to = at; b.hasRemaining(); ) to += channel.write(b, to);
                offsets[slot] = at;
                sides[slot] = t.size();
                return;
            } catch (IOException e) {
                // a full disk: this thumbnail stays in memory, the run goes on
            }
        }
        held.put(slot, t);
    }

    /** The thumbnails at these slots, by position in that list. */
    IntFunction<Thumbnail> of(int[] slots) {
        return p -> get(slots[p]);
    }

    private Thumbnail get(int slot) {
        Thumbnail t = held.get(slot);
        if (t != null) return t;
        int s = sides[slot], plane = s * s;
        ByteBuffer b = ByteBuffer.allocate(3 * plane * Float.BYTES).order(ByteOrder.nativeOrder());
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offsets[slot] + b.position()) < 0) throw new IOException("the thumbnail file ends early");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back a thumbnail: " + e.getMessage(), e);
        }
        FloatBuffer f = b.flip().asFloatBuffer();
        float[] l = new float[plane], a = new float[plane], bb = new float[plane];
        f.get(l).get(a).get(bb);
        return new Thumbnail(s, l, a, bb);
    }

    @Override
    public void close() {
        TemporaryFiles.close(channel);
    }
}
