package org.instruct4j.spark.cli;

import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.FileRoles;
import picocli.CommandLine.Option;

/** Input, output and limit of a Spark generate command. */
public final class GenerateIo {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The rows: a JSON array (Alpaca) or JSON Lines file, or a directory of JSON Lines part files (another job's"
                    + " output), which the driver reads; or Parquet (a .parquet file or directory, any path Spark reads)."
                    + " Ids: the rows' id field, else their 0-based position.")
    String input;

    @Writes(value = FileRoles.Kind.DIRECTORY, beside = Beside.SPARK_JOB)
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output directory of part files (rows are added by each run; resumable). Failure records go to DIR.failures/,"
                    + " run metadata to DIR.meta.json.")
    String output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N input rows (0 = all).")
    long limit;
}
