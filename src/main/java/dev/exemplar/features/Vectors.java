package dev.exemplar.features;

/** Small vector helpers on float arrays, the engine's storage type for features. */
public final class Vectors {
    private Vectors() { }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Scales to unit Euclidean length; a zero vector stays zero. */
    public static void normalise(float[] v) {
        double n = Math.sqrt(dot(v, v));
        if (n == 0) return;
        float inv = (float) (1 / n);
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }
}
