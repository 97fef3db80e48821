package org.instruct4j.cli.reward;

import java.nio.file.Path;
import org.instruct4j.cli.Reads;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.cli.model.Inference;
import org.instruct4j.train.reward.RewardModel;
import picocli.CommandLine.Option;

/** The reward model a command scores with: its directory and the precision it runs in. */
public final class RewardModelOptions {
    @Reads(FileRoles.Kind.DIRECTORY)
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
     * The reward model, run where and as the options say, for scoring, reading text in {@code format} (null: the format it
     * was trained with); fails with a clear message when none was given.
     */
    public RewardModel load(ModelRuntimeOptions runtime, EngineOptions engine, PromptFormat format) {
        if (directory == null) {
            throw new BadInputException("give the reward model (--reward-model DIR)");
        }
        return RewardModel.loadForScoring(directory, Inference.options(runtime, engine, dtype), format);
    }
}
