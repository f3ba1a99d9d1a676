package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

import java.util.Arrays;

/**
 * The colour histogram after undoing the photographic changes two views of one scene differ
 * by: lightness replaced by its rank in the image (exposure and gamma), a* and b* centred on the
 * image mean (white balance, the grey-world assumption).
 */
final class NeutralColourHistogram {
    private NeutralColourHistogram() { }

    static float[] of(Thumbnail t) {
        float[] tl = t.l(), ta = t.a(), tb = t.b();
        int n = tl.length;
        float[] l = new float[n], a = new float[n], b = new float[n];
        int[] byLightness = order(tl);
        for (int r = 0; r < n; r++) l[byLightness[r]] = 100f * (r + 0.5f) / n;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += ta[i]; mb += tb[i]; }
        ma /= n; mb /= n;
        for (int i = 0; i < n; i++) { a[i] = (float) (ta[i] - ma); b[i] = (float) (tb[i] - mb); }
        return ColourHistogram.of(l, a, b, t.size());
    }

    private static final int DIGIT = 11, RADIX = 1 << DIGIT;

    /**
     * The indices of the values in ascending order (Float.compare's), equal values in index order. A radix sort on
     * the values' bits, three passes of 11 bits: four times faster here than sorting packed keys, and boxed
     * indices with a comparator took half of the whole descriptor's time.
     */
    static int[] order(float[] values) {
        int n = values.length;
        int[] keys = new int[n], index = new int[n], keys2 = new int[n], index2 = new int[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            // flips the order of negative values and puts them below positive ones, as unsigned ints
            keys[i] = bits ^ (bits >> 31 | 0x80000000);
            index[i] = i;
        }
        int[] count = new int[RADIX];
        for (int shift = 0; shift < 32; shift += DIGIT) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) count[keys[i] >>> shift & RADIX - 1]++;
            for (int d = 0, sum = 0; d < RADIX; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) { // stable: equal digits keep their order
                int at = count[keys[i] >>> shift & RADIX - 1]++;
                keys2[at] = keys[i];
                index2[at] = index[i];
            }
            int[] k = keys; keys = keys2; keys2 = k;
            int[] x = index; index = index2; index2 = x;
        }
        return index;
    }
}
