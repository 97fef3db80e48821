package org.instruct4j.spark.cli;

import picocli.CommandLine.Option;

/** Input, output and limit of a Spark generate command. */
public final class GenerateIo {
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The rows: a JSON array (Alpaca) or JSON Lines file, or a directory of JSON Lines part files (another job's"
                    + " output), which the driver reads; or Parquet (a .parquet file or directory, any path Spark reads)."
                    + " Ids: the rows' id field, else their 0-based position.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output directory of part files (rows are added by each run; resumable). Failure records go to DIR.failures/,"
                    + " run metadata to DIR.meta.json.")
    String output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N input rows (0 = all).")
    long limit;
}
