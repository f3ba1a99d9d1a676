package dev.exemplar.features.learned;

import dev.exemplar.features.Kernels;

/**
 * The per-channel arithmetic of a convolution's output position: a depthwise convolution's taps summed onto the bias,
 * or a pointwise convolution's bias added, then ReLU6 where the graph fuses it. On the Vector API where the engine's
 * kernels run on it (see {@link Kernels#VECTOR}), else on plain loops; widths are multiples of {@link Kernels#PAD}.
 */
final class Taps {
    private Taps() { }

    /**
     * out[o + c] = bias[c] + the sum over taps t of in[at[t] + c] * w[t * width + c], for c &lt; width, clamped to
     * [0, 6] if relu6. A tap outside the picture reads a row of zeros: no branch in the loop, which the Vector API
     * needs to keep the sum in a register.
     */
    static void depthwise(float[] in, int[] at, float[] w, int width, float[] bias, boolean relu6, float[] out, int o) {
        if (Kernels.VECTOR) {
            VectorTaps.depthwise(in, at, w, width, bias, relu6, out, o);
            return;
        }
        for (int c = 0; c < width; c++) {
            float s = bias[c];
            for (int t = 0; t < at.length; t++) s += in[at[t] + c] * w[t * width + c];
            out[o + c] = relu6 ? Math.min(Math.max(s, 0f), 6f) : s;
        }
    }

    /** out[o + c] += bias[c], for c &lt; width, clamped to [0, 6] if relu6. */
    static void bias(float[] out, int o, float[] bias, int width, boolean relu6) {
        if (Kernels.VECTOR) {
            VectorTaps.bias(out, o, bias, width, relu6);
            return;
        }
        for (int c = 0; c < width; c++) {
            float v = out[o + c] + bias[c];
            out[o + c] = relu6 ? Math.min(Math.max(v, 0f), 6f) : v;
        }
    }
}
