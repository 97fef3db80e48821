package org.instruct4j.train.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.instruct4j.train.data.TrainingPlan;
import org.junit.jupiter.api.Test;

class ShardsTest {
    private static List<List<Integer>> micro(List<Integer> rows, int size) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += size) {
            out.add(rows.subList(i, Math.min(rows.size(), i + size)));
        }
        return out;
    }

    @Test
    void rankRTakesRowsRPlusMultiplesOfTheWorldCutIntoItsMicroBatches() {
        List<List<Integer>> global = micro(IntStream.range(0, 10).boxed().toList(), 4); // [0..3] [4..7] [8, 9]
        assertThat(Shards.microBatches(global, 0, 2, 2)).containsExactly(List.of(0, 2), List.of(4, 6), List.of(8));
        assertThat(Shards.microBatches(global, 1, 2, 2)).containsExactly(List.of(1, 3), List.of(5, 7), List.of(9));
        assertThat(Shards.microBatches(global, 2, 3, 8)).containsExactly(List.of(2, 5, 8));
    }

    @Test
    void theRanksTogetherTakeEveryRowOfTheBatchExactlyOnce() {
        for (int world = 1; world <= 5; world++) {
            for (int rows = 0; rows <= 13; rows++) {
                List<List<Integer>> global = micro(IntStream.range(0, rows).boxed().toList(), 3);
                List<Integer> all = new ArrayList<>();
                for (int rank = 0; rank < world; rank++) {
                    for (List<Integer> m : Shards.microBatches(global, rank, world, 2)) {
                        assertThat(m).isNotEmpty().hasSizeLessThanOrEqualTo(2);
                        all.addAll(m);
                    }
                }
                assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, rows).boxed().toList());
            }
        }
    }

    @Test
    void aRankBeyondTheLastRowOfASmallBatchGetsNothing() {
        assertThat(Shards.microBatches(List.of(List.of(7)), 1, 2, 4)).isEmpty();
    }

    @Test
    void twoRanksOfBatchBSplitTheSingleProcessPlanOfBatch2B() {
        List<Integer> items = IntStream.range(0, 37).boxed().toList();
        TrainingPlan<Integer> plan = new TrainingPlan<>(items, 2, 0, 8, 2, 42);
        for (int step = 0; step < plan.totalSteps(); step++) {
            List<Integer> batch = plan.step(step).stream().flatMap(List::stream).flatMap(List::stream).toList();
            List<Integer> rank0 = Shards.microBatches(plan.step(step), 0, 2, 2).stream().flatMap(List::stream).flatMap(List::stream).toList();
            List<Integer> rank1 = Shards.microBatches(plan.step(step), 1, 2, 2).stream().flatMap(List::stream).flatMap(List::stream).toList();
            assertThat(rank0).hasSize((batch.size() + 1) / 2);
            List<Integer> merged = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                merged.add(i % 2 == 0 ? rank0.get(i / 2) : rank1.get(i / 2));
            }
            assertThat(merged).as("step %d", step).isEqualTo(batch);
        }
    }

    @Test
    void badRanksAreRefused() {
        assertThatThrownBy(() -> Shards.microBatches(List.of(), 2, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shards.microBatches(List.of(), 0, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
