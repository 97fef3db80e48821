package org.instruct4j.cli;

import picocli.CommandLine;

/** Entry point of the {@code instruct4j} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return Instruct4jCommand.commandLine().execute(args);
    }
}
