package dev.exemplar.features.learned;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Taps} on the Vector API; loaded only where the module is present. */
final class VectorTaps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorTaps() { }

    static void depthwise(float[] in, int[] at, float[] w, int width, float[] bias, boolean relu6, float[] out, int o) {
        for (int c = 0; c < width; c += L) {
            FloatVector s = FloatVector.fromArray(S, bias, c);
            for (int t = 0; t < at.length; t++) s = FloatVector.fromArray(S, in, at[t] + c).fma(FloatVector.fromArray(S, w, t * width + c), s);
            if (relu6) s = s.max(0f).min(6f);
            s.intoArray(out, o + c);
        }
    }

    static void bias(float[] out, int o, float[] bias, int width, boolean relu6) {
        for (int c = 0; c < width; c += L) {
            FloatVector v = FloatVector.fromArray(S, out, o + c).add(FloatVector.fromArray(S, bias, c));
            if (relu6) v = v.max(0f).min(6f);
            v.intoArray(out, o + c);
        }
    }
}
