package org.instruct4j.train.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.lora.LoraAdapters;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.EncodedGroup;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.preference.PreferenceFixtures;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.RunResult;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoRecipeTest {
    @TempDir
    Path dir;

    static Settings stories(Path data, Path output, String... overrides) {
        return DpoRecipe.SETTINGS.defaults().with(TinyRuns.storiesRun(data, output)).with("--max-length=160").with(overrides);
    }

    @Test
    void raisesTheHeldOutMarginAgainstTheBaseAsReference() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 12);
        Path output = dir.resolve("dpo");
        RunResult<DpoStats> result = new DpoRecipe().train(stories(data, output, "--lr=1e-3", "--epochs=2", "--batch-size=6",
                "--micro-batch-size=3", "--eval-fraction=0.25", "--eval-steps=4", "--save-steps=0", "--warmup-ratio=0"));

        // before any step the policy (libtorch) is the reference (computed by the CPU engine, the default): every
        // implicit reward is 0 up to float rounding and the loss is log 2
        assertThat(result.evalBefore().pairs()).isEqualTo(3 * 3);
        assertThat(result.evalBefore().margin()).isCloseTo(0, within(1e-4));
        assertThat(result.evalBefore().loss()).isCloseTo(Math.log(2), within(1e-5));
        assertThat(result.evalAfter().margin()).isGreaterThan(1.0);
        assertThat(result.evalAfter().accuracy()).isEqualTo(1.0);
        assertThat(result.evalAfter().loss()).isLessThan(Math.log(2) / 2);

        // the rewards are measured against the base model as it is on disk: recompute beta * log(pi / ref) independently
        LoadedModel policy = ModelDirectory.load(output);
        LoadedModel base = ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32, Tensors.defaultDevice());
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, base.tokenizer()), 160);
        List<List<EncodedExample>> chosen = new ArrayList<>();
        for (EncodedGroup group : PreferenceData.load(data, encoder, 0.25, 42, true).eval()) {
            for (ComparisonGroup.Pair pair : group.pairs()) {
                chosen.add(List.of(group.responses().get(pair.higher())));
            }
        }
        SequenceBatch batch = SequenceBatch.of(chosen, BaseModels.padId(base.tokenizer()), false, Tensors.defaultDevice());
        double reward;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            reward = TokenLoss.sequenceLogProbs(policy.model(), batch).sub(TokenLoss.sequenceLogProbs(base.model(), batch))
                    .mean().item_double() * 0.1;
        }
        assertThat(reward).isCloseTo(result.evalAfter().chosenReward(), within(1e-4)).isNotZero();
        assertThat(output.resolve("generation_config.json")).exists();
        assertThat(Files.readString(output.resolve("train_summary.json"))).contains("\"eval_before\"", "\"eval_reward_margin\"");
    }

    @Test
    void gradientCheckpointingAndConcurrentMicroBatchesGiveThePlainLossCurve() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 12);
        String[] run = {"--lr=1e-3", "--epochs=1", "--batch-size=6", "--micro-batch-size=3", "--save-steps=0", "--warmup-ratio=0"};
        new DpoRecipe().train(stories(data, dir.resolve("plain"), run).with("--concurrent-micro-batches=1"));
        new DpoRecipe().train(stories(data, dir.resolve("checkpointed"), run).with("--gradient-checkpointing"));
        new DpoRecipe().train(stories(data, dir.resolve("concurrent"), run).with("--concurrent-micro-batches=2"));

        List<JsonNode> plain = TinyRuns.metrics(dir.resolve("plain"));
        assertThat(plain).hasSizeGreaterThan(2);
        for (String other : List.of("checkpointed", "concurrent")) {
            List<JsonNode> curve = TinyRuns.metrics(dir.resolve(other));
            assertThat(curve).hasSameSizeAs(plain);
            for (int i = 0; i < plain.size(); i++) {
                assertThat(curve.get(i).path("loss").asDouble()).as("%s, step %d", other, i + 1)
                        .isCloseTo(plain.get(i).path("loss").asDouble(), within(1e-5));
                assertThat(curve.get(i).path("grad_norm").asDouble()).isCloseTo(plain.get(i).path("grad_norm").asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void loraDpoWritesOnlyAnAdapter() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 4);
        Path output = dir.resolve("adapter");
        new DpoRecipe().train(stories(data, output, "--lora", "--lr=1e-2", "--batch-size=4", "--micro-batch-size=2", "--max-steps=2",
                "--eval-fraction=0"));
        assertThat(output.resolve("model.safetensors")).doesNotExist();
        assertThat(output.resolve(LoraAdapters.WEIGHTS_FILE)).exists();
        assertThat(ModelDirectory.load(output).model().weights()).containsKey("model.layers.0.self_attn.q_proj.weight");
    }

    @Test
    void aBadRowFailsWithFileLineAndFieldBeforeAnythingIsWritten() throws Exception {
        Path data = dir.resolve("bad.json");
        Files.writeString(data, """
                [{"user_input": "Say hi.", "completion_a": "Hi.", "completion_b": "Bye."},
                 {"user_input": "Say bye.", "completion_a": "Bye."}]
                """);
        Path output = dir.resolve("never");
        assertThatThrownBy(() -> new DpoRecipe().train(stories(data, output)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad.json:[1]").hasMessageContaining("completion_b");
        assertThat(output).doesNotExist();
    }
}
