package dev.exemplar.features.learned;

import dev.exemplar.features.Kernels;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a TF.js convolutional graph of the MobileNetV2 kind on one image, up to its global average pool: the ops such
 * a graph uses (scaling the input, convolutions and depthwise convolutions with a fused bias and optional ReLU6,
 * residual additions, the pool) and no others. Activations are height x width rows of channels, each row padded to
 * {@link Kernels#PAD} channels and the rows to a multiple of 4, so every convolution is one call of
 * {@link Kernels#tile}, the engine's matrix kernel, on the input or on its patches. Immutable once read: any number
 * of threads may run it at once.
 */
final class Network {
    /**
     * A tensor of activations: h x w positions of c channels, {@code stride} floats a position, then positions up to a
     * multiple of 4 and one last of zeros, which depthwise taps outside the picture read.
     */
    record Activations(int h, int w, int c, int stride, float[] data) {
        static Activations zeros(int h, int w, int c, int stride) {
            return new Activations(h, w, c, stride, buffer(h * w, stride));
        }

        int zeros() {
            return data.length - stride;
        }
    }

    private static float[] buffer(int positions, int stride) {
        return new float[(Kernels.padRows(positions) + 1) * stride];
    }

    /** A convolution's weights as the tile reads them: d rows (patch values) of width output channels. */
    private record Conv(int kh, int kw, int cin, int cout, int stride, boolean same, boolean relu6, int d, float[] weights,
                        float[] bias) { }

    private final List<TfjsModel.Node> nodes;
    private final Map<String, Float> scalars = new HashMap<>();
    private final Map<String, Conv> convs = new HashMap<>();
    /** By value, the index of the last node that reads it. */
    private final Map<String, Integer> lastUse = new HashMap<>();

    Network(TfjsModel model) throws IOException {
        this.nodes = model.nodes;
        for (int i = 0; i < nodes.size(); i++) for (String in : nodes.get(i).inputs()) lastUse.put(in, i);
        for (TfjsModel.Node n : nodes) {
            switch (n.op()) {
                case "Const" -> {
                    TfjsModel.Tensor t = model.weights.get(n.name());
                    if (t != null && t.values().length == 1) scalars.put(n.name(), t.values()[0]);
                }
                case "_FusedConv2D", "FusedDepthwiseConv2dNative" -> convs.put(n.name(), conv(n, model));
                default -> { }
            }
        }
    }

    private static Conv conv(TfjsModel.Node n, TfjsModel model) throws IOException {
        TfjsModel.Tensor w = model.weights.get(n.inputs().get(1)), b = model.weights.get(n.inputs().get(2));
        List<String> fused = n.strings("fused_ops");
        if (w == null || b == null || fused.isEmpty() || !fused.get(0).equals("BiasAdd") || fused.size() > 2
                || fused.size() == 2 && !fused.get(1).equals("Relu6")) {
            throw new IOException("node " + n.name() + " is not a convolution with a bias and optional ReLU6");
        }
        int[] s = n.ints("strides");
        if (s[1] != s[2]) throw new IOException("node " + n.name() + " has unequal strides");
        int kh = w.shape()[0], kw = w.shape()[1], cin = w.shape()[2], cout = w.shape()[3];
        boolean depthwise = n.op().startsWith("FusedDepthwise");
        if (depthwise && cout != 1) throw new IOException("node " + n.name() + " has a depth multiplier other than 1");
        int channels = depthwise ? cin : cout, width = Kernels.padColumns(channels);
        // a pointwise convolution reads the input's padded rows directly; any other one patches of kh x kw x cin values
        int d = depthwise ? kh * kw : kh == 1 && kw == 1 ? Kernels.padColumns(cin) : kh * kw * cin;
        float[] weights = new float[d * width];
        for (int r = 0; r < kh * kw * cin; r++) {
            int row = depthwise ? r / cin : r, col = depthwise ? r % cin : 0;
            if (depthwise) weights[row * width + col] = w.values()[r];
            else System.arraycopy(w.values(), r * cout, weights, row * width, cout);
        }
        float[] bias = new float[width];
        System.arraycopy(b.values(), 0, bias, 0, channels);
        return new Conv(kh, kw, cin, channels, s[1], "SAME".equals(n.string("padding")), fused.size() == 2, d, weights, bias);
    }

    /** The pooled features of an input of h x w pixels, 3 values each (red, green, blue in [0, 1]), row by row. */
    float[] pooled(float[] rgb, int h, int w) {
        Map<String, Activations> values = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            TfjsModel.Node n = nodes.get(i);
            List<String> in = n.inputs();
            switch (n.op()) {
                case "Const" -> { }
                case "Placeholder" -> {
                    Activations input = Activations.zeros(h, w, 3, 3);
                    System.arraycopy(rgb, 0, input.data(), 0, h * w * 3);
                    values.put(n.name(), input);
                }
                case "Mul", "Sub" -> {
                    boolean firstScalar = scalars.containsKey(in.get(0));
                    Activations x = values.get(in.get(firstScalar ? 1 : 0));
                    float y = scalars.get(in.get(firstScalar ? 0 : 1));
                    values.put(n.name(), scaled(x, n.op().equals("Mul") ? y : 1, n.op().equals("Mul") ? 0 : -y));
                }
                case "_FusedConv2D" -> values.put(n.name(), convolve(values.get(in.get(0)), convs.get(n.name())));
                case "FusedDepthwiseConv2dNative" -> values.put(n.name(), depthwise(values.get(in.get(0)), convs.get(n.name())));
                case "AddV2" -> values.put(n.name(), sum(values.get(in.get(0)), values.get(in.get(1))));
                case "AvgPool" -> {
                    return average(values.get(in.get(0)), n);
                }
                default -> throw new IllegalStateException("the network uses op " + n.op() + ", which is not implemented here");
            }
            // a value no later node reads is dropped at once, which halves the memory a run needs
            int done = i;
            values.keySet().removeIf(name -> lastUse.getOrDefault(name, -1) <= done);
        }
        throw new IllegalStateException("the network has no average pool");
    }

    private static Activations scaled(Activations x, float times, float plus) {
        Activations out = new Activations(x.h(), x.w(), x.c(), x.stride(), x.data().clone());
        float[] v = out.data();
        for (int p = 0; p < x.h() * x.w(); p++) {
            for (int c = 0; c < x.c(); c++) v[p * x.stride() + c] = v[p * x.stride() + c] * times + plus;
        }
        return out;
    }

    /** Output size and the padding before, as TensorFlow computes them for SAME and VALID. */
    private static int[] geometry(int in, int k, int stride, boolean same) {
        if (!same) return new int[] {(in - k) / stride + 1, 0};
        int out = (in + stride - 1) / stride;
        return new int[] {out, Math.max((out - 1) * stride + k - in, 0) / 2};
    }

    private static Activations convolve(Activations x, Conv k) {
        int[] gy = geometry(x.h(), k.kh(), k.stride(), k.same()), gx = geometry(x.w(), k.kw(), k.stride(), k.same());
        int oh = gy[0], ow = gx[0], rows = Kernels.padRows(oh * ow), width = Kernels.padColumns(k.cout());
        float[] a;
        if (k.kh() == 1 && k.kw() == 1 && k.stride() == 1 && x.stride() == k.d()) {
            a = x.data();
        } else {
            a = new float[rows * k.d()];
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int r = (oy * ow + ox) * k.d();
                    for (int ky = 0; ky < k.kh(); ky++) {
                        int iy = oy * k.stride() - gy[1] + ky;
                        if (iy < 0 || iy >= x.h()) continue;
                        for (int kx = 0; kx < k.kw(); kx++) {
                            int ix = ox * k.stride() - gx[1] + kx;
                            if (ix < 0 || ix >= x.w()) continue;
                            System.arraycopy(x.data(), (iy * x.w() + ix) * x.stride(), a, r + (ky * k.kw() + kx) * k.cin(), k.cin());
                        }
                    }
                }
            }
        }
        float[] out = buffer(oh * ow, width);
        Kernels.tile(a, 0, rows, k.d(), k.weights(), width, out);
        biasAndClamp(out, oh * ow, width, k);
        return new Activations(oh, ow, k.cout(), width, out);
    }

    private static Activations depthwise(Activations x, Conv k) {
        int[] gy = geometry(x.h(), k.kh(), k.stride(), k.same()), gx = geometry(x.w(), k.kw(), k.stride(), k.same());
        int oh = gy[0], ow = gx[0], width = x.stride();
        Activations y = Activations.zeros(oh, ow, x.c(), width);
        // where each tap of the kernel reads the input for this output position: outside the picture, the row of zeros
        int[] at = new int[k.kh() * k.kw()];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ky = 0; ky < k.kh(); ky++) {
                    int iy = oy * k.stride() - gy[1] + ky;
                    for (int kx = 0; kx < k.kw(); kx++) {
                        int ix = ox * k.stride() - gx[1] + kx;
                        at[ky * k.kw() + kx] = iy < 0 || iy >= x.h() || ix < 0 || ix >= x.w() ? x.zeros() : (iy * x.w() + ix) * width;
                    }
                }
                Taps.depthwise(x.data(), at, k.weights(), width, k.bias(), k.relu6(), y.data(), (oy * ow + ox) * width);
            }
        }
        return y;
    }

    private static void biasAndClamp(float[] out, int positions, int width, Conv k) {
        for (int p = 0; p < positions; p++) Taps.bias(out, p * width, k.bias(), width, k.relu6());
    }

    private static Activations sum(Activations a, Activations b) {
        float[] v = a.data().clone();
        for (int i = 0; i < v.length; i++) v[i] += b.data()[i];
        return new Activations(a.h(), a.w(), a.c(), a.stride(), v);
    }

    private static float[] average(Activations x, TfjsModel.Node n) {
        int[] k = n.ints("ksize");
        if (k[1] != x.h() || k[2] != x.w()) throw new IllegalStateException("only a global average pool is implemented");
        float[] mean = new float[x.c()];
        for (int p = 0; p < x.h() * x.w(); p++) {
            for (int c = 0; c < x.c(); c++) mean[c] += x.data()[p * x.stride() + c];
        }
        for (int c = 0; c < mean.length; c++) mean[c] /= x.h() * x.w();
        return mean;
    }
}
