package org.instruct4j.spark.io;

import org.apache.spark.sql.Dataset;

/** Spreading a job's rows over exactly the partitions it asked for (the rate limits are split by that number). */
public final class Partitions {
    private Partitions() {}

    /**
     * {@code rows} in exactly {@code partitions} partitions: the file splits Spark read are merged when there are more
     * (no shuffle: a large input is read where it lies), and the rows are dealt out again (a shuffle) when there are
     * fewer. Both are deterministic, so a retried task gets the same rows.
     */
    public static <T> Dataset<T> exactly(Dataset<T> rows, int partitions) {
        int read = rows.rdd().getNumPartitions();
        if (read > partitions) {
            return rows.coalesce(partitions);
        }
        return read < partitions ? rows.repartition(partitions) : rows;
    }
}
