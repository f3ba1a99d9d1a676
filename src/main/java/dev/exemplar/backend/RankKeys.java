package dev.exemplar.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rank keys: text whose order is the summary order, with room between neighbours, so that a new
 * order is written by re-keying only the tasks that moved relative to the others.
 *
 * <p>A key is {@code <position>.<fraction>}, both zero-padded ({@code 000012.000}): a full
 * numbering gives the i-th task {@code i.000}, and a task placed between two kept keys later gets
 * one between them ({@code 000012.500}). Of the tasks that had a key, the longest run whose keys
 * already increase along the new order keeps them (a longest increasing subsequence), so an
 * import re-keys the new tasks and those the engine really moved, not everything after them.
 * When a gap has no room left, neighbouring keys are given up until it has: a local rebalancing.
 * O(n log n) in the number of tasks.
 */
final class RankKeys {
    /** Key units per position of a full numbering: 999 keys fit between two neighbours. */
    static final long STEP = 1000;
    static final int MIN_WIDTH = 6;

    private RankKeys() { }

    /**
     * Keys for every task of {@code order}, given the keys tasks carry now ({@code current}, by task;
     * absent, unreadable or of another width count as none). A task whose key is kept maps to the
     * very same text.
     */
    static Map<Long, String> assign(List<Long> order, Map<Long, String> current) {
        int n = order.size();
        int width = width(n, current);
        long[] units = new long[n];
        for (int i = 0; i < n; i++) units[i] = parse(current.get(order.get(i)), width);
        boolean[] kept = increasingRun(units);
        long[] out = place(units, kept, width);
        if (out == null) { // the keys outgrew their width: number everything afresh, one digit wider
            width = Math.max(width, digits(n)) + 1;
            Arrays.fill(kept, false);
            out = place(units, kept, width);
        }
        Map<Long, String> keys = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) keys.put(order.get(i), format(out[i], width));
        return keys;
    }

    /** The width most current keys have, when it holds n positions; else the width for n. */
    private static int width(int n, Map<Long, String> current) {
        int wanted = Math.max(MIN_WIDTH, digits(n));
        Map<Integer, Integer> counts = new HashMap<>();
        for (String k : current.values()) {
            int dot = k == null ? -1 : k.indexOf('.');
            if (dot >= wanted && parse(k, dot) >= 0) counts.merge(dot, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(wanted);
    }

    private static int digits(long n) {
        return Long.toString(Math.max(1, n)).length();
    }

    /** Units of a key, or -1 when it is not one of this width. */
    static long parse(String key, int width) {
        if (key == null || key.length() != width + 4 || key.charAt(width) != '.') return -1;
        long v = 0;
        for (int i = 0; i < key.length(); i++) {
            if (i == width) continue;
            char c = key.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static String format(long units, int width) {
        String whole = Long.toString(units / STEP), fraction = Long.toString(units % STEP);
        return "0".repeat(Math.max(0, width - whole.length())) + whole + "." + "0".repeat(3 - fraction.length()) + fraction;
    }

    /** Marks a longest strictly increasing subsequence of the known units (patience sorting). */
    static boolean[] increasingRun(long[] units) {
        int n = units.length;
        int[] tails = new int[n], previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            if (units[i] < 0) continue;
            int lo = 0, hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (units[tails[mid]] < units[i]) lo = mid + 1; else hi = mid;
            }
            previous[i] = lo > 0 ? tails[lo - 1] : -1;
            tails[lo] = i;
            if (lo == length) length++;
        }
        boolean[] kept = new boolean[n];
        for (int i = length == 0 ? -1 : tails[length - 1]; i >= 0; i = previous[i]) kept[i] = true;
        return kept;
    }

    /**
     * Units for every position: kept ones as they are, the others spread evenly in the gap between
     * their kept neighbours, giving up neighbours where a gap is too narrow. Null when a key would
     * not fit the width.
     */
    private static long[] place(long[] units, boolean[] kept, int width) {
        int n = units.length;
        long limit = pow10(width) * STEP; // keys stay below this
        long[] out = new long[n];
        int i = 0;
        while (i < n) {
            if (kept[i]) {
                out[i] = units[i];
                i++;
                continue;
            }
            // the run of positions [from, to) to key, between the kept neighbours from-1 and to
            int from = i, to = i;
            while (to < n && !kept[to]) to++;
            while (true) {
                long lo = from == 0 ? 0 : out[from - 1]; // everything before `from` is placed
                if (to == n) { // after the last kept key: a full step each
                    if (lo + STEP * (to - from) >= limit) return null;
                    for (int k = from; k < to; k++) out[k] = lo + STEP * (k - from + 1);
                    break;
                }
                long hi = units[to];
                if (hi - lo - 1 >= to - from) {
                    long spacing = (hi - lo) / (to - from + 1);
                    for (int k = from; k < to; k++) out[k] = lo + spacing * (k - from + 1);
                    break;
                }
                // too narrow: give up the nearer kept neighbour on each side that has one
                if (from > 0) { from--; kept[from] = false; }
                if (to < n) { kept[to] = false; to++; while (to < n && !kept[to]) to++; }
            }
            i = to;
        }
        return out;
    }

    private static long pow10(int e) {
        long v = 1;
        for (int k = 0; k < e; k++) v *= 10;
        return v;
    }

    /** Positions whose key changes, for tests and figures. */
    static List<Long> rekeyed(List<Long> order, Map<Long, String> current, Map<Long, String> assigned) {
        List<Long> out = new ArrayList<>();
        for (long t : order) if (!assigned.get(t).equals(current.get(t))) out.add(t);
        return out;
    }
}
