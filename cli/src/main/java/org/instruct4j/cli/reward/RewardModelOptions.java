package org.instruct4j.cli.reward;

import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.reward.RewardModel;
import picocli.CommandLine.Option;

/** The reward model a command scores with: its directory and the precision it runs in. */
public final class RewardModelOptions {
    @Option(names = "--reward-model", paramLabel = "DIR", description = "Reward model directory (instruct4j train reward, or a "
            + "transformers ...ForSequenceClassification model with one label).")
    Path directory;

    @Option(names = "--reward-dtype", paramLabel = "fp32|bf16", defaultValue = "fp32",
            description = "Precision of the reward model (default: ${DEFAULT-VALUE}).")
    String dtype;

    public Path directory() {
        return directory;
    }

    /**
     * The reward model, reading text in {@code format} (null: the format it was trained with); fails with a clear message
     * when none was given.
     */
    public RewardModel load(PromptFormat format) {
        if (directory == null) {
            throw new BadInputException("give the reward model (--reward-model DIR)");
        }
        return RewardModel.load(directory, Precision.parse(dtype), format);
    }
}
