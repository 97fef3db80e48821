package org.instruct4j.cli.train;

import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.sft.SftRecipe;
import org.instruct4j.train.sft.SftResult;
import picocli.CommandLine.Command;

/** {@code instruct4j train sft}: supervised fine-tuning with the GPT-4-LLM recipe. */
@Command(name = "sft", mixinStandardHelpOptions = true,
        description = {"Supervised fine-tuning (full or LoRA) with the paper's recipe: Alpaca template, loss on the response "
                + "and EOS only, 3 epochs, lr 2e-5 cosine with 3%% warmup, global batch 64, clipping 1.0, AdamW.",
                "Settings come from the defaults, then --config FILE.yaml, then --key=value options (see below). "
                + "Kill it at any time: --resume continues from the last checkpoint with the same result."})
public final class SftCommand extends RecipeCommand {
    @Override
    Schema schema() {
        return SftRecipe.SETTINGS;
    }

    @Override
    void train() {
        Settings resolved = schema().resolve(config, overrides());
        SftResult result = SftRecipe.run(resolved, log(resolved.get(TrainingSettings.QUIET)));
        out().printf("%s %d/%d steps, loss %.4f%s -> %s%n", result.finished() ? "finished" : "stopped",
                result.steps(), result.totalSteps(), result.lastLoss(),
                Double.isNaN(result.lastEvalLoss()) ? "" : String.format(", eval loss %.4f", result.lastEvalLoss()), result.output());
        out().flush();
    }
}
