package dev.exemplar.summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The known groups of the rows of a generated feature matrix, and how an order of those rows scores against them: the
 * share of the G groups that have a member among the first G of the order. Both benchmarks of the order, on one
 * machine and on Spark, score with this one definition, so their figures can stand side by side.
 */
public final class GroupCoverage {
    private final int[] group;
    private final int groups;

    private GroupCoverage(int[] group) {
        this.group = group;
        this.groups = (int) Arrays.stream(group).distinct().count();
    }

    /**
     * The groups of the first n rows, from a CSV whose header line is followed by {@code row,group,...} lines, the row
     * being the matrix's row index, as {@code gen_scale_features.py} writes its {@code .truth.csv}.
     */
    public static GroupCoverage read(Path truth, int n) throws IOException {
        int[] group = new int[n];
        Arrays.fill(group, -1);
        Map<String, Integer> ids = new HashMap<>();
        try (var lines = Files.lines(truth)) {
            lines.skip(1).forEach(line -> {
                int a = line.indexOf(','), b = line.indexOf(',', a + 1);
                int row = Integer.parseInt(line.substring(0, a));
                if (row < n) group[row] = ids.computeIfAbsent(line.substring(a + 1, b < 0 ? line.length() : b), g -> ids.size());
            });
        }
        for (int i = 0; i < n; i++) if (group[i] < 0) throw new IOException(truth + " has no group for row " + i);
        return new GroupCoverage(group);
    }

    /** G: how many groups the rows fall in. */
    public int groups() {
        return groups;
    }

    /** The share of the groups that the first G rows of the order reach (the order holds row indices). */
    public double atG(int[] order) {
        BitSet seen = new BitSet();
        for (int r = 0; r < Math.min(groups, order.length); r++) seen.set(group[order[r]]);
        return (double) seen.cardinality() / groups;
    }
}
