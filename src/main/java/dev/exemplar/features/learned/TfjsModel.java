package dev.exemplar.features.learned;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js graph model as nsfwjs bundles it: {@code model.min.js}, a script whose exported object holds the graph
 * (nodes with op, inputs and attributes) and the weights manifest, and weight shards, scripts that export the
 * shard's bytes as one base64 string. The weights are uint8-quantised: value = min + scale * byte, one byte a value,
 * the tensors one after another across the shards in manifest order.
 */
final class TfjsModel {
    /** One node of the graph: its attributes as the model file has them. */
    record Node(String name, String op, List<String> inputs, Map<String, Object> attr) {
        /** The integer list attribute {@code key} (strides, ksize). */
        int[] ints(String key) {
            List<?> l = (List<?>) map(map(attr.get(key)).get("list")).get("i");
            return l.stream().mapToInt(v -> Integer.parseInt(v.toString())).toArray();
        }

        /** The string attribute {@code key} (padding), base64 in the model file. */
        String string(String key) {
            Object v = attr.get(key);
            return v == null ? null : decode(map(v).get("s"));
        }

        /** The string list attribute {@code key} (fused_ops). */
        List<String> strings(String key) {
            Object v = attr.get(key);
            if (v == null) return List.of();
            Object l = map(map(v).get("list")).get("s");
            return l == null ? List.of() : ((List<?>) l).stream().map(TfjsModel::decode).toList();
        }
    }

    /** A weight: its shape and values. */
    record Tensor(int[] shape, float[] values) { }

    final List<Node> nodes;
    final Map<String, Tensor> weights;

    private TfjsModel(List<Node> nodes, Map<String, Tensor> weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** Reads {@code model.min.js} in dir and the shards it names beside it. */
    static TfjsModel read(Path dir) throws IOException {
        Map<String, Object> model = exported(dir.resolve(LearnedFeatures.MODEL_FILE));
        List<Node> nodes = new ArrayList<>();
        for (Object o : (List<?>) map(model.get("modelTopology")).get("node")) {
            Map<String, Object> n = map(o);
            List<String> inputs = n.get("input") == null ? List.of() : ((List<?>) n.get("input")).stream().map(Object::toString).toList();
            nodes.add(new Node((String) n.get("name"), (String) n.get("op"), inputs, n.get("attr") == null ? Map.of() : map(n.get("attr"))));
        }
        Map<String, Tensor> weights = new HashMap<>();
        for (Object g : (List<?>) model.get("weightsManifest")) {
            Map<String, Object> group = map(g);
            byte[] bytes = shards(dir, (List<?>) group.get("paths"));
            int at = 0;
            for (Object w : (List<?>) group.get("weights")) {
                Map<String, Object> t = map(w);
                int[] shape = ((List<?>) t.get("shape")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
                int count = 1;
                for (int d : shape) count *= d;
                Map<String, Object> q = map(t.get("quantization"));
                if (q == null || !"uint8".equals(q.get("dtype"))) {
                    throw new IOException("weight " + t.get("name") + " is not uint8-quantised, the only form read here");
                }
                double min = ((Number) q.get("min")).doubleValue(), scale = ((Number) q.get("scale")).doubleValue();
                float[] values = new float[count];
                for (int i = 0; i < count; i++) values[i] = (float) (min + scale * (bytes[at + i] & 255));
                at += count;
                weights.put((String) t.get("name"), new Tensor(shape, values));
            }
            if (at != bytes.length) throw new IOException("the weight shards hold " + bytes.length + " bytes, the manifest " + at);
        }
        return new TfjsModel(nodes, weights);
    }

    /** The concatenated bytes of a group's shards; the manifest names them without the {@code .min.js} they carry here. */
    private static byte[] shards(Path dir, List<?> paths) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (Object p : paths) {
            Path file = dir.resolve(p + ".min.js");
            if (!Files.exists(file)) file = dir.resolve(p.toString());
            String script = LearnedFeatures.readRequired(file);
            int start = script.indexOf("exports=\"");
            if (start < 0) throw new IOException(file + " does not export a base64 string");
            start += "exports=\"".length();
            byte[] b = Base64.getDecoder().decode(script.substring(start, script.indexOf('"', start)));
            parts.add(b);
            total += b.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }

    /** The object a bundled module script exports: the literal after its {@code exports=}. */
    private static Map<String, Object> exported(Path file) throws IOException {
        String script = LearnedFeatures.readRequired(file);
        int start = script.indexOf("exports={");
        if (start < 0) throw new IOException(file + " does not export a model");
        return map(JsLiteral.parse(script, start + "exports=".length()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8);
    }
}
