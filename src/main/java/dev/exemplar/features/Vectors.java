package dev.exemplar.features;

/** Small vector helpers on float arrays, the engine's storage type for features. */
public final class Vectors {
    private Vectors() { }

    /** Scales to unit Euclidean length; a zero vector stays zero. */
    public static void normalise(float[] v) {
        double n = Math.sqrt(Kernels.dotInDouble(v, v));
        if (n == 0) return;
        float inv = (float) (1 / n);
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }

    /**
     * A row of precomputed features made unit length, as the engine expects them, in place; a row already unit to
     * float precision is left as it is, so a generated matrix of unit rows is read bit for bit.
     */
    public static float[] unit(float[] row) {
        if (Math.abs(Kernels.dotInDouble(row, row) - 1) > 1e-6) normalise(row);
        return row;
    }
}
