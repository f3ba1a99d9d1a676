package dev.exemplar.summary;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopiesLastTest {
    @Test
    void keepsTheEarliestMemberOfEachGroupAndMovesTheOthersToTheEndInOrder() {
        int[] order = {4, 2, 7, 0, 5, 1, 6, 3};
        List<int[]> groups = List.of(new int[] {0, 2, 3}, new int[] {5, 6});

        assertThat(Pipeline.copiesLast(order, groups, 8)).containsExactly(4, 2, 7, 5, 1, 0, 6, 3);
    }

    @Test
    void changesNothingWithoutGroups() {
        assertThat(Pipeline.copiesLast(new int[] {2, 0, 1}, List.of(), 3)).containsExactly(2, 0, 1);
    }
}
