package org.instruct4j.train.dist;

import java.util.ArrayList;
import java.util.List;

/**
 * Which rows of a step's global batch each process trains on: the batch's rows in the order the single-process plan
 * lists them, rank r taking rows r, r + world, r + 2 world, ..., cut into micro-batches of the micro-batch size.
 * Every row of the batch is trained on by exactly one process, so the processes together compute the gradient a
 * single process computes on the whole batch.
 */
public final class Shards {
    private Shards() {}

    /** The micro-batches of {@code rank} (of {@code world}) from the global batch's micro-batches; may be empty. */
    public static <R> List<List<R>> microBatches(List<List<R>> globalMicroBatches, int rank, int world, int microBatchSize) {
        if (rank < 0 || rank >= world || microBatchSize < 1) {
            throw new IllegalArgumentException("rank " + rank + " of " + world + ", micro-batch size " + microBatchSize);
        }
        List<R> rows = new ArrayList<>();
        int index = 0;
        for (List<R> micro : globalMicroBatches) {
            for (R row : micro) {
                if (index++ % world == rank) {
                    rows.add(row);
                }
            }
        }
        List<List<R>> mine = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += microBatchSize) {
            mine.add(List.copyOf(rows.subList(i, Math.min(rows.size(), i + microBatchSize))));
        }
        return mine;
    }
}
