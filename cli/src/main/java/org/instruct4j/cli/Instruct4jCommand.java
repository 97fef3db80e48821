package org.instruct4j.cli;

import org.instruct4j.cli.data.DataCommand;
import org.instruct4j.cli.eval.EvalCommand;
import org.instruct4j.cli.generate.GenerateCommand;
import org.instruct4j.cli.model.GenerateTextCommand;
import org.instruct4j.cli.model.ModelCommand;
import org.instruct4j.cli.serve.ServeCommand;
import org.instruct4j.spark.cli.SparkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: one subcommand per pipeline stage. */
@Command(
        name = "instruct4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Instruction tuning with a teacher LLM, on the JVM (the GPT-4-LLM pipeline).",
        subcommands = {GenerateCommand.class, DataCommand.class, GenerateTextCommand.class, ModelCommand.class,
            ServeCommand.class, EvalCommand.class, SparkCommand.class, CommandLine.HelpCommand.class})
public final class Instruct4jCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static CommandLine commandLine() {
        return new CommandLine(new Instruct4jCommand())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
