package org.instruct4j.cli.train;

import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.reward.RewardEvaluation;
import org.instruct4j.train.reward.RewardRecipe;
import org.instruct4j.train.run.RunResult;
import picocli.CommandLine.Command;

/** {@code instruct4j train reward}: a reward model on comparison data, as GPT-4-LLM section 4. */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = {"Train a reward model: the base (OPT or Llama family) with a scalar head on the last token, loss "
                + "-log sigmoid(r_high - r_low) over every pair of a prompt's responses with different scores (ties skipped).",
                "Reads comparison data v2, v1, LLaMA-Factory's ranking pairs or chosen/rejected pairs. Held-out pairwise accuracy, "
                + "the length-only baseline and the rewards per response source are reported during and after training "
                + "(metrics.jsonl, reward_report.html). The output loads in transformers as ...ForSequenceClassification.",
                "Settings come from the defaults, then --config FILE.yaml, then --key=value options (see below); --resume "
                + "continues a killed run."})
public final class RewardCommand extends RecipeCommand {
    @Override
    Schema schema() {
        return RewardRecipe.SETTINGS;
    }

    @Override
    void train() {
        Settings resolved = schema().resolve(config, overrides());
        RunResult<RewardEvaluation> result = new RewardRecipe().train(resolved, log(resolved.get(TrainingSettings.QUIET)));
        RewardEvaluation held = result.evalAfter();
        out().printf("%s %d/%d steps, loss %.4f%s -> %s%n", result.finished() ? "finished" : "stopped", result.steps(),
                result.totalSteps(), result.lastLoss(), held == null ? ""
                        : String.format(", held-out pairwise accuracy %.4f on %d pairs (longer response wins: %.4f)",
                                held.accuracy(), held.pairs(), held.lengthBaseline()),
                result.output());
        out().flush();
    }
}
