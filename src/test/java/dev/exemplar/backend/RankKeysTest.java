package dev.exemplar.backend;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class RankKeysTest {
    static List<Long> ids(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** The keys' text order must be the given order, and every key distinct. */
    static void assertOrdersAs(List<Long> order, Map<Long, String> keys) {
        List<String> texts = order.stream().map(keys::get).toList();
        assertThat(texts).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aFirstNumberingCountsFromOneWithRoomBetween() {
        Map<Long, String> keys = RankKeys.assign(List.of(7L, 3L, 9L), Map.of());
        assertThat(keys).containsEntry(7L, "000001.000").containsEntry(3L, "000002.000").containsEntry(9L, "000003.000");
    }

    @Test
    void tasksInsertedBetweenOthersTakeKeysInTheGapAndNothingElseChanges() {
        List<Long> before = ids(0, 100);
        Map<Long, String> current = RankKeys.assign(before, Map.of());
        List<Long> after = new ArrayList<>(before);
        after.add(10, 1000L);
        after.add(50, 1001L);
        after.add(0, 1002L);
        after.add(1003L);

        Map<Long, String> keys = RankKeys.assign(after, current);

        assertOrdersAs(after, keys);
        assertThat(RankKeys.rekeyed(after, current, keys)).containsExactlyInAnyOrder(1000L, 1001L, 1002L, 1003L);
    }

    @Test
    void aTaskThatMovedIsTheOnlyOneReKeyed() {
        List<Long> before = ids(0, 50);
        Map<Long, String> current = RankKeys.assign(before, Map.of());
        List<Long> after = new ArrayList<>(before);
        after.remove(Long.valueOf(40));
        after.add(3, 40L);

        Map<Long, String> keys = RankKeys.assign(after, current);

        assertOrdersAs(after, keys);
        assertThat(RankKeys.rekeyed(after, current, keys)).containsExactly(40L);
    }

    @Test
    void deletedTasksChangeNoOtherKey() {
        List<Long> before = ids(0, 30);
        Map<Long, String> current = RankKeys.assign(before, Map.of());
        List<Long> after = new ArrayList<>(before);
        after.removeAll(List.of(4L, 17L, 29L));

        assertThat(RankKeys.rekeyed(after, current, RankKeys.assign(after, current))).isEmpty();
    }

    @Test
    void aFullGapIsWidenedByReKeyingItsNeighboursOnly() {
        List<Long> order = new ArrayList<>(ids(0, 20));
        Map<Long, String> keys = RankKeys.assign(order, Map.of());
        // 2,000 insertions between tasks 9 and 10, a few at a time: 999 fit in a gap, then neighbours give way
        long next = 100;
        for (int round = 0; round < 200; round++) {
            int at = order.indexOf(10L);
            for (int k = 0; k < 10; k++) order.add(at, next++);
            Map<Long, String> assigned = RankKeys.assign(order, keys);
            assertOrdersAs(order, assigned);
            assertThat(RankKeys.rekeyed(order, keys, assigned).size()).as("round %d", round).isLessThan(order.size() / 2 + 10);
            keys = assigned;
        }
        assertThat(keys.get(0L)).as("far from the gap, untouched").isEqualTo("000001.000");
    }

    @Test
    void keysOfAnotherWidthOrNotKeysAtAllAreReplaced() {
        List<Long> order = ids(0, 4);
        Map<Long, String> current = new HashMap<>(Map.of(0L, "000001.000", 1L, "rank two", 2L, "0000003.000", 3L, "000004.000"));
        Map<Long, String> keys = RankKeys.assign(order, current);
        assertOrdersAs(order, keys);
        assertThat(keys.values()).allMatch(k -> k.matches("\\d{6}\\.\\d{3}"));
        assertThat(RankKeys.rekeyed(order, current, keys)).containsExactly(1L, 2L);
    }

    @Test
    void keysThatOutgrowTheirWidthAreNumberedAfreshOneDigitWider() {
        List<Long> order = ids(0, 3);
        Map<Long, String> current = Map.of(0L, "999998.000", 1L, "999999.000");
        Map<Long, String> keys = RankKeys.assign(order, current);
        assertOrdersAs(order, keys);
        assertThat(keys.get(0L)).isEqualTo("00000001.000".substring(1));
    }

    @Test
    void anyNewOrderOfAnyOldKeysIsWrittenInOrderAndKeepsALongestIncreasingRun() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(300);
            List<Long> before = new ArrayList<>(ids(0, n));
            Map<Long, String> current = RankKeys.assign(before, Map.of());
            List<Long> after = new ArrayList<>(before);
            // a few moves, removals and insertions
            for (int k = 0; k < r.nextInt(20); k++) {
                int op = r.nextInt(3);
                if (op == 0 && after.size() > 1) after.add(r.nextInt(after.size()), after.remove(r.nextInt(after.size())));
                else if (op == 1 && after.size() > 1) after.remove(r.nextInt(after.size()));
                else after.add(r.nextInt(after.size() + 1), 10_000L + trial * 100L + k);
            }
            Map<Long, String> keys = RankKeys.assign(after, current);
            assertOrdersAs(after, keys);
            // kept keys are an increasing run, and no longer one exists
            long[] units = after.stream().mapToLong(t -> RankKeys.parse(current.get(t), 6)).toArray();
            boolean[] run = RankKeys.increasingRun(units);
            int kept = (int) after.stream().filter(t -> keys.get(t).equals(current.get(t))).count();
            int longest = 0;
            for (boolean b : run) if (b) longest++;
            assertThat(kept).isEqualTo(longest);
        }
    }

    @Test
    void aShuffleKeepsALongestIncreasingRunWhichIsShort() {
        List<Long> before = ids(0, 1000);
        Map<Long, String> current = RankKeys.assign(before, Map.of());
        List<Long> after = new ArrayList<>(before);
        Collections.shuffle(after, new Random(5));
        Map<Long, String> keys = RankKeys.assign(after, current);
        assertOrdersAs(after, keys);
        // about 2 sqrt(n) of a random permutation increase: the rest is re-keyed
        assertThat(RankKeys.rekeyed(after, current, keys).size()).isBetween(900, 960);
    }
}
