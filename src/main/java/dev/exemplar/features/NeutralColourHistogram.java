package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

/**
 * The colour histogram after undoing the photographic changes two views of one scene differ
 * by: lightness replaced by its rank in the image (exposure and gamma), a* and b* centred on the
 * image mean (white balance, the grey-world assumption).
 */
final class NeutralColourHistogram {
    private NeutralColourHistogram() { }

    static float[] of(Thumbnail t) {
        int n = t.l().length;
        float[] l = new float[n], a = new float[n], b = new float[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (x, y) -> Float.compare(t.l()[x], t.l()[y]));
        for (int r = 0; r < n; r++) l[idx[r]] = 100f * (r + 0.5f) / n;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += t.a()[i]; mb += t.b()[i]; }
        ma /= n; mb /= n;
        for (int i = 0; i < n; i++) { a[i] = (float) (t.a()[i] - ma); b[i] = (float) (t.b()[i] - mb); }
        return ColourHistogram.of(new Thumbnail(t.size(), l, a, b));
    }
}
