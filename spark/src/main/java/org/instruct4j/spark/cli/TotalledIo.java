package org.instruct4j.spark.cli;

import picocli.CommandLine.Option;

/** Input and output of a Spark command that writes a result per row and totals (spark rouge, spark analyze verbs). */
public final class TotalledIo {
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The rows: a JSON array, JSON Lines (a file or a directory of part files) or Parquet (a .parquet file or"
                    + " directory, any path Spark reads).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Directory of per-row result part files (rewritten by each run); the totals go to DIR.result.json.")
    String output;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
}
