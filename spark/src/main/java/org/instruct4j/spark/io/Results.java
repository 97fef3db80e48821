package org.instruct4j.spark.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.instruct4j.core.io.Json;
import scala.Tuple2;

/**
 * What a job's Spark tasks emit, as {@code (kind, line)} pairs, committed by Spark in one write: the output rows
 * ({@link #ROW}), failure records ({@link #FAILURE}) and one summary per task ({@link #SUMMARY}), each kind in its own
 * directory of JSON Lines part files ({@code kind=row/}, ...).
 */
public final class Results {
    public static final String ROW = "row";
    public static final String FAILURE = "failure";
    public static final String SUMMARY = "summary";

    private Results() {}

    /** Writes the pairs under {@code dir}; Spark's commit protocol keeps one successful attempt of every task. */
    public static void write(Dataset<Tuple2<String, String>> results, Path dir) {
        results.toDF("kind", "line").write().partitionBy("kind").text(dir.toString());
    }

    /** The directory of one kind's part files. */
    public static Path of(Path dir, String kind) {
        return new Path(dir, "kind=" + kind);
    }

    /** The tasks' summaries, part file by part file (so always added up in the same order). */
    public static List<JsonNode> summaries(FileSystem fs, Path dir) {
        List<JsonNode> summaries = new ArrayList<>();
        for (FileStatus part : HadoopFiles.dataFiles(fs, of(dir, SUMMARY))) {
            for (String line : HadoopFiles.readLines(fs, part.getPath())) {
                try {
                    summaries.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a summary in " + part.getPath() + ": " + e.getMessage(), e);
                }
            }
        }
        return summaries;
    }
}
