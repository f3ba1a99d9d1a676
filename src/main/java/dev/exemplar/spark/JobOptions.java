package dev.exemplar.spark;

import java.io.Serializable;
import java.util.Locale;

/**
 * The job's command line: where the items are and in what form, where the result goes, and the engine's two choices.
 * A bad value is refused here, in one line, before Spark starts.
 *
 * @param dim            values per row of an {@code f32} matrix (0 for the other inputs)
 * @param embeddings     a file of vectors by item name joined with the images' features, or null
 * @param imageField     the field of a task's {@code data} holding its picture, or null to guess
 * @param localFilesRoot where a tasks export's pictures are read from, or null
 * @param embeddingsMinMatch the share of the items that must have a vector of {@code embeddings}, as for {@code summarize}
 */
record JobOptions(String input, String output, String summarySize, int maxDelegates, int partitions, InputFormat format, int dim,
                  String embeddings, String imageField, String localFilesRoot, double embeddingsMinMatch) implements Serializable {
    /** As {@code summarize --embeddings-min-match}'s default: a file naming fewer of the items is taken for the wrong file. */
    static final double EMBEDDINGS_MIN_MATCH = 0.5;

    static final String USAGE = "usage: spark-submit --class dev.exemplar.spark.SummarizeJob exemplar-spark.jar --input URI --output URI"
            + " [--input-format folder|parquet|f32|tasks] [--dim D] [--embeddings URI] [--embeddings-min-match 50%] [--image-field NAME] [--local-files-root URI]"
            + " [--summary-size N|P%|auto] [--max-delegates 3] [--partitions N]";

    /** What {@code --input} holds. */
    enum InputFormat {
        /** A folder of images, read recursively. */
        FOLDER,
        /** A Parquet table of vectors by item name. */
        PARQUET,
        /** A raw little-endian float32 matrix of {@code --dim} values a row, rows named by their index. */
        F32,
        /** A Label Studio tasks export, its pictures read from {@code --local-files-root}. */
        TASKS;

        /** The format named on the command line, or else the one the input's name says: .f32, .parquet, .json, or a folder. */
        static InputFormat of(String input, String named) {
            if (named != null) {
                try {
                    return valueOf(named.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--input-format must be one of folder, parquet, f32, tasks, not '" + named + "'");
                }
            }
            String name = input.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
            if (name.endsWith(".f32")) return F32;
            if (name.endsWith(".parquet")) return PARQUET;
            if (name.endsWith(".json")) return TASKS;
            return FOLDER;
        }
    }

    /** A folder of images, as the job first read only. */
    JobOptions(String input, String output, String summarySize, int maxDelegates, int partitions) {
        this(input, output, summarySize, maxDelegates, partitions, InputFormat.FOLDER, 0, null, null, null, EMBEDDINGS_MIN_MATCH);
    }

    /** These options with a file of embeddings. */
    JobOptions withEmbeddings(String file) {
        return new JobOptions(input, output, summarySize, maxDelegates, partitions, format, dim, file, imageField, localFilesRoot,
                embeddingsMinMatch);
    }

    static JobOptions parse(String... args) {
        String input = null, output = null, size = "auto", format = null, embeddings = null, imageField = null, localFilesRoot = null;
        int delegates = 3, partitions = 0, dim = 0;
        double minMatch = EMBEDDINGS_MIN_MATCH;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
            String value = args[++i];
            switch (flag) {
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--input-format" -> format = value;
                case "--dim" -> dim = number(flag, value, 1);
                case "--embeddings" -> embeddings = value;
                case "--embeddings-min-match" -> minMatch = percentage(flag, value);
                case "--image-field" -> imageField = value;
                case "--local-files-root" -> localFilesRoot = value;
                case "--summary-size" -> size = value;
                case "--max-delegates" -> delegates = number(flag, value, 1);
                case "--partitions" -> partitions = number(flag, value, 1);
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            }
        }
        if (input == null || output == null) throw new IllegalArgumentException("--input and --output are required\n" + USAGE);
        InputFormat kind = InputFormat.of(input, format);
        if (kind == InputFormat.F32 && dim == 0) throw new IllegalArgumentException("--dim is required with a float32 matrix as input: the values per row");
        if (kind != InputFormat.F32 && dim != 0) throw new IllegalArgumentException("--dim is for a float32 matrix as input, not a " + name(kind) + " input");
        if (embeddings != null && kind != InputFormat.FOLDER && kind != InputFormat.TASKS) {
            throw new IllegalArgumentException("--embeddings joins vectors with images' features: a " + name(kind) + " input has vectors only");
        }
        if ((imageField != null || localFilesRoot != null) && kind != InputFormat.TASKS) {
            throw new IllegalArgumentException("--image-field and --local-files-root are for a tasks export as input, not a " + name(kind) + " input");
        }
        return new JobOptions(input, output, size, delegates, partitions, kind, dim, embeddings, imageField, localFilesRoot, minMatch);
    }

    /** A whole number of at least {@code least}, or a one-line refusal naming the flag. */
    private static int number(String flag, String value, int least) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, not '" + value + "'");
        }
        if (n < least) throw new IllegalArgumentException(flag + " must be at least " + least + ", not " + n);
        return n;
    }

    /** A share written P%, 0 to 100, or a one-line refusal naming the flag. */
    private static double percentage(String flag, String value) {
        String v = value.strip();
        try {
            double p = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : "-1");
            if (p >= 0 && p <= 100) return p / 100;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " must be a percentage from 0% to 100%, not '" + value + "'");
    }

    private static String name(InputFormat f) {
        return f.name().toLowerCase(Locale.ROOT);
    }
}
