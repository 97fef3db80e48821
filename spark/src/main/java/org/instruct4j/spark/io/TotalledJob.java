package org.instruct4j.spark.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The run of a job that computes one result per row and totals over all rows ({@code spark rouge}, {@code spark
 * analyze verbs}): under the output's lock, the staged rows are spread over the partitions, the tasks' per-row results
 * committed by Spark replace {@code O/}, and the driver adds the tasks' summaries up into {@code O.result.json}.
 * A retried task's summary is counted once, as its rows are.
 */
public final class TotalledJob {
    /** The totals and where they were written. */
    public record Totals<T>(T value, Path result) {}

    private TotalledJob() {}

    /**
     * Runs the partition function made by {@code partition} (given the accumulator its tasks count their done rows
     * in, for the progress bar named {@code task} unless {@code quiet}) over {@code input}'s rows; {@code total} adds
     * up the summaries (in part file order) and {@code resultJson} renders the total for {@code O.result.json}.
     */
    public static <T> Totals<T> run(SparkSession spark, JobPaths paths, StagedInput input, int partitions, OutputFormat format,
            String task, boolean quiet, Function<LongAccumulator, MapPartitionsFunction<String, Tuple2<String, String>>> partition,
            Function<List<JsonNode>, T> total, Function<T, String> resultJson) {
        try (OutputLock lock = OutputLock.acquire(paths)) {
            Path run = new Path(paths.staging(), "run-" + UUID.randomUUID());
            try {
                Path rows = new Path(run, "input.jsonl");
                HadoopFiles.copyFromLocal(paths.fs(), input.file(), rows);
                Path results = new Path(run, "results");
                LongAccumulator done = spark.sparkContext().longAccumulator(task);
                try (RowProgress progress = RowProgress.start(spark.sparkContext(), done, task, input.rows(), quiet)) {
                    Results.write(Partitions.exactly(spark.read().textFile(rows.toString()), partitions)
                            .mapPartitions(partition.apply(done), Encoders.tuple(Encoders.STRING(), Encoders.STRING())), results);
                }
                T value = total.apply(Results.summaries(paths.fs(), results));
                format.publish(spark, paths.fs(), Results.of(results, Results.ROW), paths.rows(), true);
                Path result = paths.related(".result.json");
                HadoopFiles.writeString(paths.fs(), result, resultJson.apply(value));
                return new Totals<>(value, result);
            } finally {
                HadoopFiles.delete(paths.fs(), run);
            }
        }
    }
}
