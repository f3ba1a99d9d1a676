package dev.exemplar.summary;

import dev.exemplar.features.Kernels;
import dev.exemplar.image.Thumbnail;

/**
 * The engine's near-duplicate test for one pair of items, for callers that find candidate pairs
 * themselves (a test set against a training set, say): the same alignment, SSIM and colour rules
 * that confirm duplicate groups.
 */
public final class CopyCheck {
    /** Whether the pair is a near-duplicate, and the SSIM of the aligned lightness thumbnails. */
    public record Verdict(boolean copy, double ssim) { }

    /** One side of a pair: its thumbnail, descriptor (unit length), aspect ratio and whether it is a photograph. */
    public record Side(Thumbnail thumbnail, float[] descriptor, double aspect, boolean photograph) { }

    /** Below this cosine of the descriptors two items are never near-duplicates, so they need no closer look. */
    public static final float MIN_COSINE = Duplicates.MIN_COSINE;

    private CopyCheck() { }

    public static Verdict of(Side a, Side b) {
        Duplicates.Match m = Duplicates.compare(a.thumbnail(), b.thumbnail(), 32);
        if (Math.max(a.aspect(), b.aspect()) > Duplicates.MAX_ASPECT_CHANGE * Math.min(a.aspect(), b.aspect())) {
            return new Verdict(false, m.ssim()); // a copy keeps its shape
        }
        boolean copy = Duplicates.accepted(m, Duplicates.chroma(a.thumbnail()), Duplicates.chroma(b.thumbnail()),
                a.photograph() && b.photograph(), Kernels.dotInDouble(a.descriptor(), b.descriptor()));
        return new Verdict(copy, m.ssim());
    }
}
