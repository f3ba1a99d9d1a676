package dev.exemplar.image;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that pictures being decoded may take together: one permit per started megapixel of decoded picture,
 * from a pool sized to half the heap at {@link #BYTES_PER_MEGAPIXEL} a permit. A decode waits for its permits, so
 * parallel decodes cannot together exhaust the heap; a picture that needs more than the whole pool is refused.
 */
final class DecodeBudget {
    /**
     * What one decoded megapixel may cost at once: the decoder's own picture (up to 4 bytes a pixel), its
     * TYPE_INT_RGB copy, a turned copy for EXIF orientation, and the features' work arrays.
     */
    static final long BYTES_PER_MEGAPIXEL = 16L << 20;
    static final DecodeBudget HEAP = new DecodeBudget(
            (int) Math.max(1, Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_MEGAPIXEL));

    private final Semaphore permits;
    private final int total;

    DecodeBudget(int total) {
        this.total = total;
        this.permits = new Semaphore(total, true);
    }

    int total() {
        return total;
    }

    /** Permits held by one decode; closing gives them back. */
    final class Hold implements AutoCloseable {
        private int held;

        /** Takes the permits for a decoded picture of w x h pixels, waiting up to {@code waitMillis}. */
        void take(long w, long h, long waitMillis) throws ImageError {
            int need = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (w * h + 999_999) / 1_000_000));
            if (need > total) {
                throw new ImageError("decoding " + w + " x " + h + " pixels needs about " + need * (BYTES_PER_MEGAPIXEL >> 20)
                        + " MB, more than the " + total * (BYTES_PER_MEGAPIXEL >> 20) + " MB decoding budget of this heap");
            }
            try {
                if (!permits.tryAcquire(need, waitMillis, TimeUnit.MILLISECONDS)) {
                    throw new ImageError("not enough memory to decode " + w + " x " + h
                            + " pixels while other images were decoding");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageError("decoding interrupted", e);
            }
            held += need;
        }

        @Override
        public void close() {
            if (held > 0) {
                permits.release(held);
                held = 0;
            }
        }
    }

    Hold hold() {
        return new Hold();
    }
}
