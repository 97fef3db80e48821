package org.instruct4j.cli;

import java.io.PrintWriter;

/** Entry point of the {@code instruct4j} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return Instruct4jCommand.commandLine().execute(args);
    }

    /** Runs the command line with the given standard output and error (tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Instruct4jCommand.commandLine().setOut(out).setErr(err).execute(args);
    }
}
