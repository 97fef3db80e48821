package org.instruct4j.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Where a Spark job keeps its files, side by side as the single-machine {@code O.jsonl}, {@code O.failures.jsonl}
 * and {@code O.meta.json} are: {@code O/} (the rows, as part files), {@code O.failures/} (failure records),
 * {@code O.meta.json} (one entry per run) and {@code O/_staging/} (runs in progress; Spark's readers skip names
 * starting with "_"). For a task that assembles its output (ratings) the rows are {@code O.<task>/} and {@code O/}
 * holds the assembled output. Paths without a scheme are on Spark's default filesystem (the local disk when run by
 * {@code ./instruct4j}).
 */
public record JobPaths(FileSystem fs, Path output, Path rows, Path failures, Path metadata) {

    /** @param rowsSuffix null when the rows are the output, else the suffix of the working rows (".ratings") */
    public static JobPaths of(SparkSession spark, String output, String rowsSuffix) {
        Path given = new Path(output);
        try {
            FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path out = fs.makeQualified(given);
            Path rows = rowsSuffix == null ? out : sibling(out, rowsSuffix);
            return new JobPaths(fs, out, rows, sibling(out, ".failures"), sibling(out, ".meta.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the filesystem of " + output + ": " + e.getMessage(), e);
        }
    }

    /** The job's work in progress: one directory per run, inside the rows directory. */
    public Path staging() {
        return new Path(rows, "_staging");
    }

    /** Another file of the job beside the output: {@code O<suffix>}. */
    public Path related(String suffix) {
        return sibling(output, suffix);
    }

    private static Path sibling(Path path, String suffix) {
        return new Path(path.getParent(), path.getName() + suffix);
    }
}
