package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA dropout draws the same masks however a step is computed: its micro-batches one after another, several at once
 * on threads of their own, or with each layer recomputed in the backward pass. So the loss curves are the same.
 */
class LoraDropoutRunTest {
    @TempDir
    Path dir;

    @Test
    void oneAfterAnotherConcurrentAndCheckpointedStepsDrawTheSameMasks() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 16, 150);
        String[] lora = {"--lora", "--lora-dropout=0.2", "--lora-target-modules=q_proj,v_proj,down_proj", "--batch-size=4",
            "--micro-batch-size=2", "--epochs=1", "--lr=3e-3", "--max-length=256", "--save-steps=0"};
        Path plain = dir.resolve("plain");
        SftRecipe.run(TinyRuns.stories(data, plain, lora).with("--concurrent-micro-batches=1"));
        assertThat(TinyRuns.metrics(plain)).hasSizeGreaterThan(3);

        for (String way : List.of("--concurrent-micro-batches=2", "--gradient-checkpointing")) {
            Path other = dir.resolve(way.substring(2, 8));
            SftRecipe.run(TinyRuns.stories(data, other, lora).with(way));
            TinyRuns.assertSameCurve(TinyRuns.metrics(other), TinyRuns.metrics(plain));
        }
    }
}
