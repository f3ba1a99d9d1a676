package dev.exemplar.spark;

import java.io.Serializable;

/** The job's command line: where the images are, where the result goes, and the engine's two choices. */
record JobOptions(String input, String output, String summarySize, int maxDelegates, int partitions) implements Serializable {
    static final String USAGE = "usage: spark-submit --class dev.exemplar.spark.SummarizeJob exemplar-spark.jar --input URI --output URI"
            + " [--summary-size N|P%|auto] [--max-delegates 3] [--partitions N]";

    static JobOptions parse(String... args) {
        String input = null, output = null, size = "auto";
        int delegates = 3, partitions = 0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
            String value = args[++i];
            switch (flag) {
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--summary-size" -> size = value;
                case "--max-delegates" -> delegates = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            }
        }
        if (input == null || output == null) throw new IllegalArgumentException("--input and --output are required\n" + USAGE);
        if (delegates < 1) throw new IllegalArgumentException("--max-delegates must be at least 1");
        return new JobOptions(input, output, size, delegates, partitions);
    }
}
