package dev.exemplar.spark;

import dev.exemplar.features.Embeddings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The job's items, from whatever {@code --input} holds, as batches of the engine's features, one a partition: a folder
 * of images or a Label Studio tasks export (with {@code --embeddings} joined as {@code summarize --embeddings} joins
 * them), a Parquet table of vectors, or a raw float32 matrix. The batches come back persisted, since everything after reads them more than once.
 */
final class Inputs {
    /** Columns a vector table may name its items by, and its vectors by: the keys the engine's embeddings reader accepts. */
    static final List<String> NAME_COLUMNS = List.of("item", "name", "file"), VECTOR_COLUMNS = List.of("vector", "embedding");

    private Inputs() { }

    static JavaRDD<Features.Batch> batches(SparkSession spark, JobOptions o, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, float[]> vectors = o.embeddings() == null ? Map.of() : embeddings(sc.hadoopConfiguration(), o.embeddings());
        Broadcast<Map<String, float[]>> embeddings = sc.broadcast(vectors);
        JavaRDD<Features.Batch> batches = switch (o.format()) {
            case FOLDER -> folder(sc, o.input(), partitions, embeddings);
            case F32 -> matrix(sc, o.input(), o.dim());
            case PARQUET -> table(spark, o.input());
            case TASKS -> tasks(sc, o, partitions, embeddings);
        };
        batches.persist(StorageLevel.MEMORY_AND_DISK());
        if (!vectors.isEmpty()) checkMatch(batches, embeddings, o);
        return batches;
    }

    /** Every file below the folder, read where it lies, named by its path below the folder. */
    private static JavaRDD<Features.Batch> folder(JavaSparkContext sc, String input, int partitions, Broadcast<Map<String, float[]>> embeddings) {
        sc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true");
        String root = rootPath(sc, input);
        return sc.binaryFiles(input, partitions)
                .mapToPair(f -> new Tuple2<>(relative(root, f._1()), f._2()))
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitions(it -> List.of(Features.of(it, embeddings.value())).iterator());
    }

    /** A Label Studio tasks export's tasks, read on the driver, spread over the partitions, their pictures read where they lie. */
    private static JavaRDD<Features.Batch> tasks(JavaSparkContext sc, JobOptions o, int partitions, Broadcast<Map<String, float[]>> embeddings) {
        List<ExportTasks.Task> tasks = ExportTasks.read(sc.hadoopConfiguration(), o.input(), o.imageField(), o.localFilesRoot());
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        return sc.parallelize(tasks, partitions).mapPartitions(it -> List.of(ExportTasks.batch(it, conf.value(), embeddings.value())).iterator());
    }

    /**
     * A file of embeddings by item name, read on the driver by the engine's reader (CSV, JSON lines, or .npy with its
     * .names beside it): copied first from its file system to a local folder under its own name, which tells the
     * format. It is broadcast whole, so it should fit the driver's and each executor's memory.
     */
    static Map<String, float[]> embeddings(Configuration conf, String uri) {
        try {
            java.nio.file.Path local = Files.createTempDirectory("exemplar-embeddings");
            try {
                Path file = new Path(uri);
                FileSystem fs = file.getFileSystem(conf);
                List<Path> copied = new ArrayList<>(List.of(file));
                String name = file.getName();
                if (name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
                    Path names = new Path(file.getParent(), name.substring(0, name.length() - 4) + ".names");
                    if (fs.exists(names)) copied.add(names);
                }
                for (Path p : copied) {
                    if (!fs.exists(p)) throw new IllegalArgumentException("--embeddings: no such file " + uri);
                    fs.copyToLocalFile(false, p, new Path(local.resolve(p.getName()).toUri()), true);
                }
                return new HashMap<>(Embeddings.read(local.resolve(name)));
            } finally {
                try (var files = Files.walk(local)) {
                    for (java.nio.file.Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--embeddings " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@code summarize} does: refuses a file that names fewer than {@code --embeddings-min-match} of the items (its
     * names miss theirs: a folder prefix, an extension) and warns when some items have no vector, which are then compared
     * by their descriptors.
     */
    private static void checkMatch(JavaRDD<Features.Batch> batches, Broadcast<Map<String, float[]>> embeddings, JobOptions o) {
        JavaRDD<String> names = batches.flatMap(b -> b.items().iterator()).map(Features.Described::name);
        long items = names.count();
        JavaRDD<String> unmatched = names.filter(n -> !embeddings.value().containsKey(n));
        long missing = unmatched.count();
        if (items == 0 || missing == 0) return;
        Embeddings.Match match = new Embeddings.Match(items, missing, unmatched.take(Embeddings.Match.EXAMPLES + 1),
                embeddings.value().keySet().stream().limit(Embeddings.Match.EXAMPLES + 1).toList());
        if (match.below(o.embeddingsMinMatch())) {
            batches.unpersist();
            throw new IllegalArgumentException(match.refusal(String.format(Locale.ROOT, "--embeddings-min-match %.0f%%", 100 * o.embeddingsMinMatch())));
        }
        System.err.println(match.warning());
    }

    /**
     * A raw little-endian float32 matrix of {@code dim} values a row, as {@code gen_scale_features.py} writes, read in
     * splits where it lies; row i is the item "i" (the index in the file, which zipWithIndex keeps).
     */
    private static JavaRDD<Features.Batch> matrix(JavaSparkContext sc, String file, int dim) {
        long bytes = length(sc.hadoopConfiguration(), file), row = 4L * dim;
        if (bytes % row != 0) {
            throw new IllegalArgumentException(file + " holds " + bytes + " bytes, not a whole number of rows of " + dim + " floats (--dim)");
        }
        return sc.binaryRecords(file, (int) row).zipWithIndex().mapPartitions(rows -> {
            List<Features.Described> out = new ArrayList<>();
            while (rows.hasNext()) {
                Tuple2<byte[], Long> r = rows.next();
                float[] v = new float[dim];
                ByteBuffer.wrap(r._1()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.add(Features.Described.ofVector(String.valueOf(r._2()), v));
            }
            return List.of(new Features.Batch(out, List.of())).iterator();
        });
    }

    /**
     * A Parquet table (a file or a folder of them) with a string column naming the items ({@link #NAME_COLUMNS}) and an
     * array of float or double ({@link #VECTOR_COLUMNS}). A row without a name or vector, or with a vector of another
     * length than the first row's, is an error of that item.
     */
    private static JavaRDD<Features.Batch> table(SparkSession spark, String path) {
        Dataset<Row> t = spark.read().parquet(path);
        StructType schema = t.schema();
        String name = column(schema, NAME_COLUMNS, type -> type.equals(DataTypes.StringType));
        String vector = column(schema, VECTOR_COLUMNS, type -> type instanceof ArrayType a
                && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType)));
        if (name == null || vector == null) {
            String found = Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(path + ": a vector table needs a string column " + String.join(", ", NAME_COLUMNS)
                    + " and an array<float> or array<double> column " + String.join(", ", VECTOR_COLUMNS) + "; its columns are " + found);
        }
        Dataset<Row> rows = t.select(name, vector);
        List<Row> first = rows.filter(rows.col(vector).isNotNull()).limit(1).collectAsList();
        int dim = first.isEmpty() ? 0 : first.get(0).getList(1).size();
        return rows.javaRDD().mapPartitions(it -> List.of(tableBatch(it, dim)).iterator());
    }

    private static Features.Batch tableBatch(Iterator<Row> rows, int dim) {
        List<Features.Described> items = new ArrayList<>();
        List<LocalOrder.Failure> errors = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String name = r.isNullAt(0) ? null : r.getString(0);
            List<Object> values = r.isNullAt(1) ? null : r.getList(1);
            if (name == null) {
                errors.add(new LocalOrder.Failure("(no name)", "a row of the table has no item name"));
            } else if (values == null || values.size() != dim || values.contains(null)) {
                errors.add(new LocalOrder.Failure(name, values == null ? "no vector" : "a vector of " + values.size() + " values where the table's first has " + dim));
            } else {
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) v[i] = ((Number) values.get(i)).floatValue();
                items.add(Features.Described.ofVector(name, v));
            }
        }
        return new Features.Batch(items, errors);
    }

    /** The first of the names the schema has with a fitting type, or null. */
    private static String column(StructType schema, List<String> names, Predicate<DataType> fits) {
        for (String n : names) {
            for (StructField f : schema.fields()) if (f.name().equalsIgnoreCase(n) && fits.test(f.dataType())) return f.name();
        }
        return null;
    }

    private static long length(Configuration conf, String file) {
        try {
            Path p = new Path(file);
            return p.getFileSystem(conf).getFileStatus(p).getLen();
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("--input: no such file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input folder's path, as the file system qualifies it, which every file's path starts with. */
    private static String rootPath(JavaSparkContext sc, String input) {
        try {
            Path p = new Path(input);
            return p.getFileSystem(sc.hadoopConfiguration()).makeQualified(p).toUri().getPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's name as {@code exemplar summarize FOLDER} gives it: its path below the folder, with '/'. */
    static String relative(String root, String file) {
        String path = new Path(file).toUri().getPath();
        String prefix = root.endsWith("/") ? root : root + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }
}
