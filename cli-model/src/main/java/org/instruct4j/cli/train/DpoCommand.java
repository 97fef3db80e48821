package org.instruct4j.cli.train;

import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.dpo.DpoRecipe;
import org.instruct4j.train.dpo.DpoStats;
import org.instruct4j.train.run.RunResult;
import picocli.CommandLine.Command;

/** {@code instruct4j train dpo}: Direct Preference Optimization of a fine-tuned model on comparison data. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
        description = {"DPO: train the base (your SFT model) to prefer each prompt's higher-scored response over the lower one, "
                + "against a frozen copy of itself as the reference (beta configurable).",
                "Reward accuracy, the chosen and rejected implicit rewards and their margin are logged for the training and "
                + "the held-out pairs (metrics.jsonl). The output is a model directory, or a PEFT adapter with --lora.",
                "Settings come from the defaults, then --config FILE.yaml, then --key=value options (see below); --resume "
                + "continues a killed run."})
public final class DpoCommand extends RecipeCommand {
    @Override
    Schema schema() {
        return DpoRecipe.SETTINGS;
    }

    @Override
    void train() {
        Settings resolved = schema().resolve(config, overrides());
        RunResult<DpoStats> result = new DpoRecipe().train(resolved, log(resolved.get(TrainingSettings.QUIET)));
        out().printf("%s %d/%d steps, loss %.4f%s -> %s%n", result.finished() ? "finished" : "stopped", result.steps(),
                result.totalSteps(), result.lastLoss(), result.evalAfter() == null ? ""
                        : String.format(", held-out reward accuracy %.4f, margin %.4f (before: %.4f)", result.evalAfter().accuracy(),
                                result.evalAfter().margin(), result.evalBefore() == null ? Double.NaN : result.evalBefore().margin()),
                result.output());
        out().flush();
    }
}
