package org.instruct4j.spark.cli;

import java.io.PrintWriter;
import org.instruct4j.cli.CommandLines;
import picocli.CommandLine;

/**
 * The job jar's entry point for spark-submit: the same commands as {@code instruct4j spark}, e.g.
 * {@code spark-submit --class org.instruct4j.spark.cli.SparkMain instruct4j-spark.jar generate answers --input ...}.
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs a command with the given standard output and error (tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    private static CommandLine commandLine() {
        return CommandLines.configureForSparkSubmit(new CommandLine(new SparkCommand()));
    }
}
