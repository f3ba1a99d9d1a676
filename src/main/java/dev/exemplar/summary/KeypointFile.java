package dev.exemplar.summary;

import dev.exemplar.features.FeatureCodec;
import dev.exemplar.features.LocalFeatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keypoints of a run's photographs in a temporary file, deleted on close, instead of the heap: about 43 KB a
 * photograph with its mirror's, which at a hundred thousand photographs is more than the rest of the run together.
 * Written from any thread as the features are computed, read back a pair at a time by scene verification.
 * Where the file cannot be written (no temporary space), an item's keypoints stay in memory.
 */
final class KeypointFile implements AutoCloseable {
    /** Where one item's keypoints are: offset, length of the image's, length of the mirror's. */
    private record Span(long offset, int plain, int mirror) { }

    private final FileChannel channel;
    private final AtomicLong end = new AtomicLong();
    private final Map<String, Span> spans = new ConcurrentHashMap<>();
    private final Map<String, LocalFeatures.Keypoints[]> inMemory = new ConcurrentHashMap<>();

    private KeypointFile(FileChannel channel) {
        this.channel = channel;
    }

    /** A new file in the temporary folder; without one (none writable), every item's keypoints stay in memory. */
    static KeypointFile create() {
        return new KeypointFile(TemporaryFiles.open("exemplar-keypoints-"));
    }

    /** Keeps an item's keypoints and its mirror's (either may be null). */
    void put(String name, LocalFeatures.Keypoints keypoints, LocalFeatures.Keypoints mirrored) {
        if (keypoints == null) return;
        byte[] a = FeatureCodec.encode(keypoints), b = mirrored == null ? new byte[0] : FeatureCodec.encode(mirrored);
        if (channel != null) {
            long at = end.getAndAdd(a.length + b.length);
            try {
                write(ByteBuffer.wrap(a), at);
                write(ByteBuffer.wrap(b), at + a.length);
                spans.put(name, new Span(at, a.length, b.length));
                return;
            } catch (IOException e) {
                // a full disk: this item's keypoints stay in memory, the run goes on
            }
        }
        inMemory.put(name, new LocalFeatures.Keypoints[] {keypoints, mirrored});
    }

    private void write(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) at += channel.write(b, at);
    }

    private byte[] read(long at, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
            while (b.hasRemaining()) {
                int r = channel.read(b, at + b.position());
                if (r < 0) throw new IOException("keypoint file ends early");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back keypoints: " + e.getMessage(), e);
        }
        return b.array();
    }

    /** The keypoints of the named items, by their index in that list. */
    KeypointSource of(List<String> names) {
        return new KeypointSource() {
            @Override
            public boolean has(int item) {
                String name = names.get(item);
                return spans.containsKey(name) || inMemory.containsKey(name);
            }

            @Override
            public LocalFeatures.Keypoints keypoints(int item) {
                return get(names.get(item), false);
            }

            @Override
            public LocalFeatures.Keypoints mirrored(int item) {
                return get(names.get(item), true);
            }
        };
    }

    private LocalFeatures.Keypoints get(String name, boolean mirror) {
        Span s = spans.get(name);
        if (s == null) {
            LocalFeatures.Keypoints[] k = inMemory.get(name);
            return k == null ? null : k[mirror ? 1 : 0];
        }
        if (mirror && s.mirror() == 0) return null;
        return FeatureCodec.decodeKeypoints(mirror ? read(s.offset() + s.plain(), s.mirror()) : read(s.offset(), s.plain()));
    }

    @Override
    public void close() {
        TemporaryFiles.close(channel);
    }
}
