package org.instruct4j.cli;

import org.instruct4j.cli.analyze.AnalyzeCommand;
import org.instruct4j.cli.data.DataCommand;
import org.instruct4j.cli.eval.EvalCommand;
import org.instruct4j.cli.generate.GenerateCommand;
import org.instruct4j.cli.model.GenerateTextCommand;
import org.instruct4j.cli.model.ModelCommand;
import org.instruct4j.cli.quickstart.QuickstartCommand;
import org.instruct4j.cli.reward.RankCommand;
import org.instruct4j.cli.reward.ScoreCommand;
import org.instruct4j.cli.serve.ServeCommand;
import org.instruct4j.cli.train.RecipeCommand;
import org.instruct4j.cli.train.TrainCommand;
import org.instruct4j.spark.cli.SparkCommand;
import org.instruct4j.train.dpo.DpoRecipe;
import org.instruct4j.train.reward.RewardRecipe;
import org.instruct4j.train.sft.SftRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The root command: one subcommand per pipeline stage. */
@Command(
        name = "instruct4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Instruction tuning with a teacher LLM, on the JVM (the GPT-4-LLM pipeline).",
        subcommands = {QuickstartCommand.class, GenerateCommand.class, DataCommand.class, AnalyzeCommand.class,
            GenerateTextCommand.class, ModelCommand.class, TrainCommand.class, ScoreCommand.class, RankCommand.class,
            ServeCommand.class, EvalCommand.class, SparkCommand.class, CommandLine.HelpCommand.class})
public final class Instruct4jCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Instruct4jCommand())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
        var train = commandLine.getSubcommands().get("train").getSubcommands();
        train.get("sft").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(SftRecipe.SETTINGS.settings()));
        train.get("reward").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(RewardRecipe.SETTINGS.settings()));
        train.get("dpo").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(DpoRecipe.SETTINGS.settings()));
        return commandLine;
    }
}
