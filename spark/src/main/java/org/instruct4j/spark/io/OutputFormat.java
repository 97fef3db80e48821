package org.instruct4j.spark.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.core.io.BadInputException;

/**
 * How a job's rows are stored in its output directory: JSON Lines part files (each line exactly the row the
 * single-machine command writes) or Parquet. Rows arrive as committed JSON Lines part files in a staging directory
 * and are published from there.
 */
public enum OutputFormat {
    JSONL(".jsonl"),
    PARQUET(".parquet");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    public static OutputFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --format \"" + name + "\"; use jsonl or parquet");
        }
    }

    /** The ids of the rows in {@code dir} (none when it does not exist yet). */
    public Set<String> ids(SparkSession spark, FileSystem fs, Path dir) {
        if (dataFiles(fs, dir).isEmpty()) {
            return new HashSet<>();
        }
        Dataset<String> ids = this == JSONL
                ? spark.read().textFile(dir.toString()).select(get_json_object(col("value"), "$.id")).as(Encoders.STRING())
                : spark.read().parquet(dir.toString()).select(col("id").cast("string")).as(Encoders.STRING());
        return new HashSet<>(ids.collectAsList());
    }

    /** Every row of {@code dir} as a JSON line (Parquet columns in the table's order). */
    public Dataset<String> jsonLines(SparkSession spark, FileSystem fs, Path dir) {
        dataFiles(fs, dir);
        return this == JSONL ? spark.read().textFile(dir.toString()) : spark.read().parquet(dir.toString()).toJSON();
    }

    /**
     * Publishes the JSON Lines part files of {@code staged} into {@code dir}: appended (rows whose id is already
     * there are left out, so publishing twice adds nothing) or, with {@code replace}, instead of what {@code dir}
     * held. JSON Lines files are moved (each move is atomic); Parquet is written by Spark.
     */
    public void publish(SparkSession spark, FileSystem fs, Path staged, Path dir, boolean replace) {
        List<FileStatus> parts = HadoopFiles.dataFiles(fs, staged);
        if (parts.isEmpty()) {
            return;
        }
        if (this == PARQUET) {
            publishParquet(spark, fs, staged, dir, replace);
            return;
        }
        if (replace) {
            dataFiles(fs, dir).forEach(old -> HadoopFiles.delete(fs, old.getPath()));
        }
        for (FileStatus part : parts) {
            // Spark's text writer names its files part-*.txt; they are JSON Lines
            String name = part.getPath().getName().replaceFirst("\\.txt$", "");
            HadoopFiles.move(fs, part.getPath(), dir, name.endsWith(extension) ? name : name + extension);
        }
    }

    private void publishParquet(SparkSession spark, FileSystem fs, Path staged, Path dir, boolean replace) {
        Dataset<String> lines = spark.read().textFile(staged.toString());
        boolean existing = !dataFiles(fs, dir).isEmpty();
        Dataset<Row> rows = existing && !replace
                ? spark.read().schema(spark.read().parquet(dir.toString()).schema()).json(lines)
                : spark.read().json(lines);
        if (existing && !replace) {
            rows = rows.join(spark.read().parquet(dir.toString()).select("id"), "id", "left_anti");
        }
        rows.write().mode(replace ? SaveMode.Overwrite : SaveMode.Append).parquet(dir.toString());
    }

    /** The data files of {@code dir}; fails when it holds the other format's files (a resumed job must keep its format). */
    private List<FileStatus> dataFiles(FileSystem fs, Path dir) {
        List<FileStatus> files = HadoopFiles.dataFiles(fs, dir);
        for (OutputFormat other : values()) {
            if (other != this && files.stream().anyMatch(f -> f.getPath().getName().endsWith(other.extension))) {
                throw new BadInputException(dir + " holds " + other.name().toLowerCase(Locale.ROOT)
                        + " part files; resume it with --format " + other.name().toLowerCase(Locale.ROOT));
            }
        }
        return files;
    }
}
