package org.instruct4j.spark.cli;

import org.instruct4j.spark.SparkSessions;
import org.instruct4j.spark.io.OutputFormat;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command shares: where it runs, in how many partitions, and the format of its output. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://HOST:7077, yarn, k8s://... (default: the one spark-submit was given, else "
                    + SparkSessions.DEFAULT_MASTER + ").")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spark tasks the rows are spread over (default: Spark's default parallelism, i.e. the executors' cores)."
                    + " Rate limits are split evenly between them.")
    Integer partitions;

    @Option(names = "--format", paramLabel = "jsonl|parquet", defaultValue = "jsonl",
            description = "Format of the output's part files (default: ${DEFAULT-VALUE}).")
    String format;

    public SparkSessions.Session open(String appName) {
        return SparkSessions.open(master, appName);
    }

    public int partitions(SparkSession spark) {
        return partitions != null ? partitions : spark.sparkContext().defaultParallelism();
    }

    public OutputFormat format() {
        return OutputFormat.parse(format);
    }

    public String master(SparkSession spark) {
        return spark.sparkContext().master();
    }
}
