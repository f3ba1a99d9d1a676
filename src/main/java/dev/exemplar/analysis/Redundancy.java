package dev.exemplar.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The wavelet paper's reading of a clustering (Algorithm 1, lines 11 to 16; Algorithm 2, lines 11
 * to 20): a cluster of several items all of one class is redundant, and only the item nearest its
 * centre is kept; a cluster that mixes classes is influential (its items teach the decision
 * boundary), and all of it is kept, as is every single-item cluster.
 */
final class Redundancy {

    /**
     * @param redundant   the redundant clusters, items ascending
     * @param kept        the item kept of each redundant cluster, in the same order
     * @param influential the influential clusters, items ascending
     * @param reduced     the items kept overall, ascending
     */
    record Groups(List<int[]> redundant, int[] kept, List<int[]> influential, int[] reduced) {
        /** Items in redundant clusters that are not kept. */
        int discarded() {
            return redundant.stream().mapToInt(g -> g.length - 1).sum();
        }
    }

    private Redundancy() { }

    /**
     * @param assignment     the cluster of every item, 0 to clusters - 1
     * @param classes        the class of every item
     * @param representative per cluster, the member nearest its centre (ignored for empty clusters)
     */
    static Groups of(int[] assignment, int[] classes, int[] representative) {
        int n = assignment.length, k = representative.length;
        if (classes.length != n) throw new IllegalArgumentException("one class per item");
        List<List<Integer>> members = new ArrayList<>(k);
        for (int c = 0; c < k; c++) members.add(new ArrayList<>());
        for (int i = 0; i < n; i++) members.get(assignment[i]).add(i);
        boolean[] discard = new boolean[n];
        List<int[]> redundant = new ArrayList<>(), influential = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int[] g = members.get(c).stream().mapToInt(Integer::intValue).toArray();
            if (g.length < 2) continue;
            boolean oneClass = Arrays.stream(g).allMatch(i -> classes[i] == classes[g[0]]);
            if (!oneClass) {
                influential.add(g);
                continue;
            }
            int keep = representative[c];
            if (assignment[keep] != c) throw new IllegalArgumentException("representative " + keep + " is not in cluster " + c);
            redundant.add(g);
            kept.add(keep);
            for (int i : g) if (i != keep) discard[i] = true;
        }
        int[] reduced = IntStream.range(0, n).filter(i -> !discard[i]).toArray();
        // largest groups first: they are what a reader looks at
        Integer[] order = new Integer[redundant.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> redundant.get(b).length != redundant.get(a).length
                ? Integer.compare(redundant.get(b).length, redundant.get(a).length) : Integer.compare(redundant.get(a)[0], redundant.get(b)[0]));
        List<int[]> red = new ArrayList<>();
        int[] keptSorted = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            red.add(redundant.get(order[i]));
            keptSorted[i] = kept.get(order[i]);
        }
        influential.sort((a, b) -> a.length != b.length ? Integer.compare(b.length, a.length) : Integer.compare(a[0], b[0]));
        return new Groups(red, keptSorted, influential, reduced);
    }
}
