package dev.exemplar.analysis;

import dev.exemplar.features.Ssim;
import dev.exemplar.image.Thumbnail;
import dev.exemplar.summary.CopyCheck;

/**
 * What the analyses keep of one readable image: its name, its class, its L*a*b* thumbnail, the
 * engine's global descriptor, its aspect ratio and whether it counts as a photograph.
 */
record Sample(String name, String label, Thumbnail thumbnail, float[] descriptor, double aspect, boolean photograph) {
    /** Side of the lightness image SSIM compares: the paper's 32 x 32 (CIFAR's size). */
    static final int SSIM_SIDE = 32;

    /**
     * The lightness plane, centred as for the wavelet rows ({@link WaveletRows#centred}: a copy
     * shifted by a pixel would otherwise lose most of its SSIM), area-averaged to {@link #SSIM_SIDE}
     * and prepared for SSIM (L* spans 0 to 100).
     */
    Ssim.Prepared ssimImage() {
        int s = thumbnail.size(), f = s / SSIM_SIDE;
        if (f * SSIM_SIDE != s) throw new IllegalStateException("thumbnail side " + s + " is not a multiple of " + SSIM_SIDE);
        float[] l = WaveletRows.centred(thumbnail).l(), out = new float[SSIM_SIDE * SSIM_SIDE];
        for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) out[(y / f) * SSIM_SIDE + x / f] += l[y * s + x] / (f * f);
        return Ssim.prepare(out, SSIM_SIDE, SSIM_SIDE, 100);
    }

    /** This image as one side of the engine's near-duplicate test. */
    CopyCheck.Side side() {
        return new CopyCheck.Side(thumbnail, descriptor, aspect, photograph);
    }
}
