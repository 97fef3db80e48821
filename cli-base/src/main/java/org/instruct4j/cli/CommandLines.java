package org.instruct4j.cli;

import picocli.CommandLine;

/**
 * What every instruct4j command line shares, the {@code instruct4j} command and the Spark job jar alike: the files
 * a command reads and writes are checked before it runs ({@link FileOptions}), and failures become one line on stderr
 * and an exit code ({@link ErrorHandler}).
 */
public final class CommandLines {
    private CommandLines() {}

    /**
     * For the {@code instruct4j} command, where a path without a scheme is on this machine; {@code prepare} runs once
     * the command line is parsed, before the files are checked (the data layer fetches the {@code data:} names then).
     */
    public static CommandLine configure(CommandLine commandLine, Runnable prepare) {
        return configure(commandLine, true, prepare);
    }

    /** For the job jar under spark-submit, where a path without a scheme is on the cluster's default file system. */
    public static CommandLine configureForSparkSubmit(CommandLine commandLine) {
        return configure(commandLine, false, () -> {});
    }

    private static CommandLine configure(CommandLine commandLine, boolean schemelessIsLocal, Runnable prepare) {
        return commandLine
                .setExecutionStrategy(parseResult -> checkFilesThenRun(parseResult, schemelessIsLocal, prepare))
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    private static int checkFilesThenRun(CommandLine.ParseResult parseResult, boolean schemelessIsLocal, Runnable prepare) {
        Integer help = CommandLine.executeHelpRequest(parseResult);
        if (help != null) {
            return help;
        }
        var commands = parseResult.asCommandLineList();
        CommandLine command = commands.get(commands.size() - 1);
        try {
            prepare.run();
            FileOptions.of(command.getCommandSpec(), schemelessIsLocal).check();
        } catch (RuntimeException e) {
            throw new CommandLine.ExecutionException(command, e.getMessage(), e);
        }
        return new CommandLine.RunLast().execute(parseResult);
    }
}
