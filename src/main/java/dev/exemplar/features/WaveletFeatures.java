package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Dataset-level wavelet features (wavelet paper, section 3): the L*, a*, b* planes of each
 * thumbnail at 32 x 32, each transformed over 2 levels, give 3 x 1024 coefficients per item. Of the
 * coefficients that vary over the dataset, pivoted QR keeps the most linearly independent ones
 * while their condition number stays below tau; rows are then scaled to unit length so that
 * Euclidean distance tracks cosine similarity.
 */
public final class WaveletFeatures {
    public static final int SIDE = 32, LEVELS = 2, COEFFICIENTS = 3 * SIDE * SIDE;

    /**
     * @param family     the wavelet
     * @param tau        largest condition number of the kept columns (the paper finds 1e5 a good choice)
     * @param maxColumns cap on the kept columns m: the later steps cost time in proportion to m
     */
    public record Options(Wavelet.Family family, double tau, int maxColumns) {
        public static Options defaults() {
            return new Options(Wavelet.Family.HAAR, 1e5, 512);
        }
    }

    /**
     * @param vectors           unit rows, one per item, over the kept columns
     * @param columns           the kept coefficients in pivot order (indices into the 3072: L, then a*, then b*, 1024 each)
     * @param varying           how many coefficients vary over the dataset (the candidates)
     * @param numericalRank     the rank of the coefficient matrix at tolerance tau; equal to m unless
     *                          {@code rankCapped}, when it is at least m
     * @param rankCapped        the cap on m ended the selection before tau did
     * @param conditionEstimate |R_11| / |R_mm| of the pivoted QR, the criterion the selection used
     * @param condition         exact 2-norm condition number of the kept columns (by SVD): at most tau, since
     *                          the selection is trimmed to it when the estimate understated it
     * @param millis            time to compute, select and normalise
     */
    public record Features(float[][] vectors, int[] columns, int varying, int numericalRank, boolean rankCapped,
                           double conditionEstimate, double condition, long millis) {
        /** Number of kept columns. */
        public int m() {
            return columns.length;
        }
    }

    private WaveletFeatures() { }

    public static Features of(List<Thumbnail> thumbnails, Options o) {
        long t0 = System.nanoTime();
        int n = thumbnails.size();
        double[] w = new double[n * COEFFICIENTS];
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] c = coefficients(thumbnails.get(i), o.family());
            for (int j = 0; j < COEFFICIENTS; j++) w[i * COEFFICIENTS + j] = c[j];
        });
        // a constant coefficient cannot tell items apart, and its large norm would make it an early pivot
        int[] varying = PivotedQr.dropConstantColumns(w, n, COEFFICIENTS);
        PivotedQr.Selection s = PivotedQr.select(w, n, COEFFICIENTS, varying, o.tau(), o.maxColumns()).trimmedTo(o.tau());
        int m = s.numericalRank();
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] v = new float[Math.max(m, 1)];
            if (m == 0) v[0] = 1; // nothing varies: all items are alike
            for (int j = 0; j < m; j++) v[j] = (float) w[i * COEFFICIENTS + s.columns()[j]];
            Vectors.normalise(v);
            vectors[i] = v;
        }
        // the rank cannot exceed the rows or the candidates, so only the cap on m leaves it open
        boolean capped = s.stop() == PivotedQr.Stop.MAX_COLUMNS && m < Math.min(n, varying.length);
        double condition = m == 0 ? Double.NaN : s.exactCondition();
        return new Features(vectors, s.columns(), varying.length, m, capped, s.conditionEstimate(), condition,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The 3072 coefficients of one thumbnail: L*, a*, b* each area-averaged to 32 x 32 and
     * transformed. L* (0..100) is divided by 100 and a*, b* (about -128..127) by 128 so the channels
     * have comparable ranges: the transform is orthogonal, so otherwise the channel with the widest
     * range would dominate both the pivot choice (by column norm) and the cosine similarity.
     */
    public static float[] coefficients(Thumbnail t, Wavelet.Family family) {
        float[] out = new float[COEFFICIENTS];
        float[][] planes = {t.l(), t.a(), t.b()};
        float[] scale = {1 / 100f, 1 / 128f, 1 / 128f};
        for (int p = 0; p < 3; p++) {
            float[] small = downsample(planes[p], t.size(), scale[p]);
            System.arraycopy(Wavelet.forward(small, SIDE, LEVELS, family), 0, out, p * SIDE * SIDE, SIDE * SIDE);
        }
        return out;
    }

    /** Area average of f x f blocks of a size x size plane down to SIDE x SIDE, times scale. */
    private static float[] downsample(float[] plane, int size, float scale) {
        if (size % SIDE != 0) throw new IllegalArgumentException("thumbnail side " + size + " is not a multiple of " + SIDE);
        int f = size / SIDE;
        float[] out = new float[SIDE * SIDE];
        float k = scale / (f * f);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double sum = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) sum += plane[(y * f + dy) * size + x * f + dx];
                }
                out[y * SIDE + x] = (float) (sum * k);
            }
        }
        return out;
    }
}
