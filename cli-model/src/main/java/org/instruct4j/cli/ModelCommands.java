package org.instruct4j.cli;

import java.util.Map;
import org.instruct4j.cli.eval.AnswerCommand;
import org.instruct4j.cli.model.GenerateTextCommand;
import org.instruct4j.cli.model.MergeLoraCommand;
import org.instruct4j.cli.model.ModelInitCommand;
import org.instruct4j.cli.model.ModelQuantizeCommand;
import org.instruct4j.cli.quickstart.QuickstartCommand;
import org.instruct4j.cli.reward.RankCommand;
import org.instruct4j.cli.reward.ScoreCommand;
import org.instruct4j.cli.serve.ServeCommand;
import org.instruct4j.cli.train.RecipeCommand;
import org.instruct4j.cli.train.TrainCommand;
import org.instruct4j.train.dpo.DpoRecipe;
import org.instruct4j.train.reward.RewardRecipe;
import org.instruct4j.train.sft.SftRecipe;
import picocli.CommandLine;

/** The commands that run models (the pure-Java CPU engine and libtorch): the quickstart, training, generation, scoring, serving, eval answer. */
public final class ModelCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("quickstart", new QuickstartCommand(), "generate-text", new GenerateTextCommand(),
                "model init", new ModelInitCommand(), "model merge-lora", new MergeLoraCommand(), "model quantize", new ModelQuantizeCommand(), "train", new TrainCommand(),
                "score", new ScoreCommand(), "rank", new RankCommand(), "serve", new ServeCommand(),
                "eval answer", new AnswerCommand());
    }

    /** Each recipe's --help ends with its settings table. */
    @Override
    public void configure(CommandLine root) {
        var train = root.getSubcommands().get("train").getSubcommands();
        train.get("sft").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(SftRecipe.SETTINGS.settings()));
        train.get("reward").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(RewardRecipe.SETTINGS.settings()));
        train.get("dpo").getCommandSpec().usageMessage().footer(RecipeCommand.settingsHelp(DpoRecipe.SETTINGS.settings()));
    }
}
