package org.instruct4j.spark.cli;

import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.FileRoles;
import picocli.CommandLine.Option;

/** Input and output of a Spark command that writes a result per row and totals (spark rouge, spark analyze verbs). */
public final class TotalledIo {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The rows: a JSON array, JSON Lines (a file or a directory of part files) or Parquet (a .parquet file or"
                    + " directory, any path Spark reads).")
    String input;

    @Writes(value = FileRoles.Kind.DIRECTORY, beside = Beside.SPARK_JOB)
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Directory of per-row result part files (rewritten by each run); the totals go to DIR.result.json.")
    String output;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
}
