package dev.exemplar.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads vectors keyed by item name: CSV ({@code name,v1,v2,...}, optional header), JSON lines
 * ({@code {"name": .., "vector": [..]}}, also {@code item}/{@code file} and {@code embedding}), or {@code .npy}
 * (float32 or float64, C order, N x d) with a {@code .names} file beside it, one name a line.
 * All vectors must have one dimension; any problem is an IOException saying where.
 */
public final class Embeddings {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** An image and its embedding weigh equally in a joined row. */
    private static final double HALF = Math.sqrt(0.5);

    private Embeddings() { }

    /**
     * How many of a run's items a file of embeddings names, with a few names of each side that do not meet: a file whose
     * names miss the items' (a folder prefix, an extension) would change a run without failing it. The command line and
     * the Spark job refuse a file that names too few, and warn of a partial one, in these words.
     */
    public record Match(long items, long unmatched, List<String> itemsUnmatched, List<String> fileNames) {
        /** Names shown of each side. */
        public static final int EXAMPLES = 3;

        /** Whether fewer than {@code share} of the items have a vector. */
        public boolean below(double share) {
            return items - unmatched < share * items;
        }

        /** The refusal, naming the setting and its value (say "--embeddings-min-match 50%"). */
        public String refusal(String minimum) {
            return counts() + ", fewer than " + minimum + "; " + examples();
        }

        /** The warning of a partial match. */
        public String warning() {
            return String.format(Locale.ROOT, "warning: %s; the other %,d are compared by their descriptors only; %s", counts(), unmatched,
                    examples());
        }

        private String counts() {
            return String.format(Locale.ROOT, "%,d of %,d items have a vector in --embeddings", items - unmatched, items);
        }

        private String examples() {
            return "items are named like " + shown(itemsUnmatched) + "; the file names " + shown(fileNames);
        }

        private static String shown(List<String> names) {
            String s = String.join(", ", names.subList(0, Math.min(EXAMPLES, names.size())));
            return names.size() > EXAMPLES ? s + ", ..." : s;
        }
    }

    /**
     * A descriptor (unit length) joined with an item's embedding, made unit, to a unit row of the descriptor's length
     * plus {@code dim}: the dot product of two such rows is half the descriptors' cosine and half the embeddings'. An
     * item without an embedding (null, or not of {@code dim} values, or zero) keeps its descriptor at full length and
     * zeros after it, so it is compared by its descriptor alone; see {@link #similarity}. With {@code dim} 0 the
     * descriptor itself.
     */
    public static float[] join(float[] descriptor, float[] embedding, int dim) {
        if (dim == 0) return descriptor;
        float[] out = Arrays.copyOf(descriptor, descriptor.length + dim);
        float[] e = embedding == null || embedding.length != dim ? new float[dim] : embedding.clone();
        Vectors.normalise(e);
        if (descriptorOnly(e, dim)) return out;
        for (int i = 0; i < descriptor.length; i++) out[i] = (float) (descriptor[i] * HALF);
        for (int i = 0; i < dim; i++) out[descriptor.length + i] = (float) (e[i] * HALF);
        return out;
    }

    /** Whether a row {@link #join joined} with {@code dim} values of embedding is of an item without one: zeros there. */
    public static boolean descriptorOnly(float[] row, int dim) {
        for (int i = row.length - dim; i < row.length; i++) if (row[i] != 0) return false;
        return true;
    }

    /**
     * The similarity of two joined rows from their dot product: as it is, unless just one of them is descriptor only.
     * Then the other's descriptor weighs sqrt(1/2) in the dot product, and the pair is compared by the descriptors'
     * cosine alone, at the same scale as a pair of items that both have embeddings. No one row of each item gives
     * this for every pair (the three kinds of pair break the Cauchy-Schwarz inequality), so the similarity kernels
     * correct the mixed pairs after their dot products, one multiplication each.
     */
    public static double similarity(double dot, boolean descriptorOnlyA, boolean descriptorOnlyB) {
        return descriptorOnlyA == descriptorOnlyB ? dot : dot / HALF;
    }

    public static Map<String, float[]> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such embeddings file");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return npy(file);
        if (name.endsWith(".csv")) return csv(file);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return jsonLines(file);
        // an unknown extension: decide by the first non-blank character
        byte[] head = Files.readAllBytes(file);
        if (startsWith(head, NPY_MAGIC)) return npy(file);
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("{")) return jsonLines(file);
        if (text.contains(",")) return csv(file);
        throw new IOException(file + ": unknown embeddings format (expected .csv, .jsonl or .npy with .names)");
    }

    static Map<String, float[]> csv(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int dim = -1;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) continue;
            String[] cells = line.split(",", -1);
            if (cells.length < 2) throw new IOException(where(file, ln) + "expected name,v1,v2,...");
            float[] v = new float[cells.length - 1];
            try {
                for (int i = 1; i < cells.length; i++) v[i - 1] = Float.parseFloat(cells[i].strip());
            } catch (NumberFormatException e) {
                if (out.isEmpty() && dim < 0) { // a header line
                    dim = cells.length - 1;
                    continue;
                }
                throw new IOException(where(file, ln) + "not a number: " + e.getMessage());
            }
            dim = put(out, unquote(cells[0].strip()), v, dim, file, ln);
        }
        return nonEmpty(out, file);
    }

    static Map<String, float[]> jsonLines(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int dim = -1;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) continue;
            JsonNode o;
            try {
                o = Json.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IOException(where(file, ln) + "not JSON: " + e.getOriginalMessage());
            }
            JsonNode name = first(o, "name", "item", "file");
            JsonNode vec = first(o, "vector", "embedding");
            if (name == null || !name.isValueNode() || vec == null || !vec.isArray()) {
                throw new IOException(where(file, ln) + "expected {\"name\": ..., \"vector\": [...]}");
            }
            float[] v = new float[vec.size()];
            for (int i = 0; i < v.length; i++) {
                if (!vec.get(i).isNumber()) throw new IOException(where(file, ln) + "vector holds a non-number");
                v[i] = vec.get(i).floatValue();
            }
            dim = put(out, name.asText(), v, dim, file, ln);
        }
        return nonEmpty(out, file);
    }

    static Map<String, float[]> npy(Path file) throws IOException {
        String base = file.getFileName().toString();
        Path namesFile = file.resolveSibling(base.substring(0, base.length() - 4) + ".names");
        if (!Files.isRegularFile(namesFile)) {
            throw new IOException(file + ": the names file " + namesFile.getFileName() + " is missing beside it");
        }
        List<String> names = Files.readAllLines(namesFile, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        Npy a = Npy.parse(Files.readAllBytes(file), file);
        if (a.rows != names.size()) {
            throw new IOException(file + " has " + a.rows + " rows but " + namesFile.getFileName() + " has "
                    + names.size() + " names");
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int r = 0; r < a.rows; r++) {
            if (out.put(names.get(r), a.row(r)) != null) {
                throw new IOException(namesFile + ": name " + names.get(r) + " appears twice");
            }
        }
        return nonEmpty(out, file);
    }

    /** A parsed .npy array of 2 dimensions (1-D arrays are read as one row). */
    private record Npy(ByteBuffer data, boolean doubles, int rows, int cols) {
        private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
        private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
        private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

        static Npy parse(byte[] b, Path file) throws IOException {
            if (!startsWith(b, NPY_MAGIC) || b.length < 10) throw new IOException(file + ": not a .npy file");
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int major = b[6];
            int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
            int start = major == 1 ? 10 : 12;
            if (start + headerLen > b.length) throw new IOException(file + ": .npy header is cut short");
            String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
            String descr = group(DESCR, header, file, "dtype");
            if (group(ORDER, header, file, "fortran_order").equals("True")) {
                throw new IOException(file + ": Fortran-order arrays are not supported; save in C order");
            }
            String[] dims = group(SHAPE, header, file, "shape").replace(" ", "").split(",");
            int rows, cols;
            try {
                if (dims.length == 1 && !dims[0].isEmpty()) {
                    rows = 1;
                    cols = Integer.parseInt(dims[0]);
                } else if (dims.length == 2) {
                    rows = Integer.parseInt(dims[0]);
                    cols = Integer.parseInt(dims[1]);
                } else {
                    throw new IOException(file + ": expected an N x d array, found shape (" + String.join(",", dims) + ")");
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bad shape in .npy header");
            }
            boolean doubles;
            ByteOrder order;
            switch (descr) {
                case "<f4", "=f4", "|f4" -> { doubles = false; order = ByteOrder.LITTLE_ENDIAN; }
                case ">f4" -> { doubles = false; order = ByteOrder.BIG_ENDIAN; }
                case "<f8", "=f8", "|f8" -> { doubles = true; order = ByteOrder.LITTLE_ENDIAN; }
                case ">f8" -> { doubles = true; order = ByteOrder.BIG_ENDIAN; }
                default -> throw new IOException(file + ": unsupported dtype " + descr + " (expected float32 or float64)");
            }
            int dataStart = start + headerLen;
            long need = (long) rows * cols * (doubles ? 8 : 4);
            if (b.length - dataStart < need) {
                throw new IOException(file + ": holds " + (b.length - dataStart) + " bytes of data, the shape needs " + need);
            }
            ByteBuffer data = ByteBuffer.wrap(b, dataStart, b.length - dataStart).slice().order(order);
            return new Npy(data, doubles, rows, cols);
        }

        float[] row(int r) {
            float[] v = new float[cols];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                v[c] = doubles ? (float) data.getDouble(i * 8) : data.getFloat(i * 4);
            }
            return v;
        }

        private static String group(Pattern p, String header, Path file, String what) throws IOException {
            Matcher m = p.matcher(header);
            if (!m.find()) throw new IOException(file + ": .npy header has no " + what);
            return m.group(1);
        }
    }

    private static int put(Map<String, float[]> out, String name, float[] v, int dim, Path file, int ln) throws IOException {
        if (dim >= 0 && v.length != dim) {
            throw new IOException(where(file, ln) + "vector of " + name + " has " + v.length
                    + " values where earlier ones have " + dim);
        }
        if (out.put(name, v) != null) throw new IOException(where(file, ln) + "name " + name + " appears twice");
        return v.length;
    }

    private static Map<String, float[]> nonEmpty(Map<String, float[]> out, Path file) throws IOException {
        if (out.isEmpty()) throw new IOException(file + ": no embeddings in the file");
        return out;
    }

    private static JsonNode first(JsonNode o, String... keys) {
        for (String k : keys) if (o.has(k)) return o.get(k);
        return null;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String where(Path file, int line) {
        return file + " line " + (line + 1) + ": ";
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
