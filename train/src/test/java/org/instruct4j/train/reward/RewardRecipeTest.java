package org.instruct4j.train.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.instruct4j.train.sft.TinyRuns.copyTree;
import static org.instruct4j.train.sft.TinyRuns.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.preference.PreferenceFixtures;
import org.instruct4j.train.run.RunResult;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardRecipeTest {
    @TempDir
    Path dir;

    static Settings stories(Path data, Path output, String... overrides) {
        return RewardRecipe.SETTINGS.defaults().with(TinyRuns.storiesRun(data, output)).with("--max-length=160").with(overrides);
    }

    @Test
    void learnsToRankHeldOutResponsesAndTheSavedModelScoresIdentically() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 16);
        Path output = dir.resolve("rm");
        RunResult<RewardEvaluation> result = new RewardRecipe().train(stories(data, output, "--epochs=3", "--batch-size=4", "--micro-batch-size=2",
                "--lr=3e-3", "--eval-fraction=0.25", "--eval-steps=3", "--save-steps=0"));

        assertThat(result.finished()).isTrue();
        assertThat(result.dataSummary()).startsWith("16 prompts with 48 responses: 48 pairs with different scores, 0 ties skipped");
        assertThat(result.evalAfter().pairs()).isEqualTo(4 * 3);
        assertThat(result.evalAfter().accuracy()).isEqualTo(1.0);
        assertThat(result.evalAfter().margin()).isGreaterThan(1.0);
        assertThat(result.evalAfter().lengthBaseline()).isEqualTo(1.0);
        assertThat(result.evalAfter().rewardsBySource()).containsOnlyKeys(PreferenceFixtures.SOURCES);

        // transformers' LlamaForSequenceClassification layout, one label, no language-model head
        JsonNode config = Json.MAPPER.readTree(output.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("LlamaForSequenceClassification");
        assertThat(config.path("id2label").size()).isEqualTo(1);
        assertThat(config.path("pad_token_id").asInt()).isEqualTo(0);
        Map<String, Tensor> weights = Safetensors.readDirectory(output, t -> t);
        assertThat(Tensors.shape(weights.get("score.weight"))).containsExactly(1, 64);
        assertThat(weights).doesNotContainKey("lm_head.weight").containsKey("model.layers.4.mlp.down_proj.weight");

        RewardModel loaded = RewardModel.load(output, Precision.FP32, null);
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, loaded.tokenizer()), 160);
        PreferenceData split = PreferenceData.load(data, encoder, 0.25, 42, true);
        RewardEvaluation again = RewardEvaluation.of(loaded, split.eval(), 4);
        for (String source : PreferenceFixtures.SOURCES) {
            assertThat(again.rewardsBySource().get(source)).as(source).containsExactly(result.evalAfter().rewardsBySource().get(source));
        }

        List<JsonNode> metrics = metrics(output);
        assertThat(metrics.get(0).get("step").asInt()).isZero();
        assertThat(metrics.get(0).get("eval_margin").asDouble()).as("before training").isLessThan(result.evalAfter().margin() - 1.0);
        assertThat(metrics.get(metrics.size() - 1).get("eval_mean_reward_by_source").get("gpt4").asDouble())
                .isGreaterThan(metrics.get(metrics.size() - 1).get("eval_mean_reward_by_source").get("icm-1.3b").asDouble());
        assertThat(output.resolve(RewardReport.FILE)).exists();
        assertThat(output.resolve("reward_by_source.png")).exists();
        assertThat(Files.readString(output.resolve("train_summary.json"))).contains("\"eval_length_baseline\"");
    }

    @Test
    void concurrentMicroBatchesLearnWhatOneAfterAnotherLearns() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 8);
        String[] settings = {"--batch-size=4", "--micro-batch-size=1", "--max-steps=4", "--lr=3e-3", "--save-steps=0"};
        new RewardRecipe().train(stories(data, dir.resolve("plain"), settings).with("--concurrent-micro-batches=1"));
        new RewardRecipe().train(stories(data, dir.resolve("concurrent"), settings).with("--concurrent-micro-batches=2"));

        List<JsonNode> plain = TinyRuns.metrics(dir.resolve("plain"));
        List<JsonNode> concurrent = TinyRuns.metrics(dir.resolve("concurrent"));
        assertThat(plain).hasSizeGreaterThan(3).hasSameSizeAs(concurrent);
        for (int i = 0; i < plain.size(); i++) {
            for (String field : List.of("loss", "grad_norm", "accuracy")) {
                assertThat(concurrent.get(i).path(field).asDouble(-1)).as("%s at step %d", field, i + 1)
                        .isCloseTo(plain.get(i).path(field).asDouble(-1), within(1e-5));
            }
        }
    }

    @Test
    void loraTrainsOnlyAdaptersAndHeadAndResumesExactly() throws Exception {
        Path data = PreferenceFixtures.ruleBased(dir, 8);
        String[] settings = {"--lora", "--lora-r=4", "--lr=1e-2", "--batch-size=2", "--micro-batch-size=1", "--max-steps=4",
            "--save-steps=2", "--save-total-limit=5", "--eval-fraction=0.25", "--eval-steps=2", "--lora-dropout=0.1"};
        Path full = dir.resolve("full");
        new RewardRecipe().train(stories(data, full, settings));
        assertThat(full.resolve("checkpoints/step-000002/adapter_model.safetensors")).exists();

        Map<String, Tensor> base = ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32,
                Tensors.defaultDevice()).model().weights();
        Map<String, Tensor> trained = Safetensors.readDirectory(full, t -> t);
        for (var entry : base.entrySet()) {
            boolean adapted = entry.getKey().contains("q_proj") || entry.getKey().contains("v_proj");
            assertThat(trained.get(entry.getKey()).equal(entry.getValue())).as(entry.getKey()).isEqualTo(!adapted);
        }
        Tensor initialHead = RewardModel.initialHead(RewardModel.backbone(
                ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32, Tensors.defaultDevice()).model()), 42);
        assertThat(trained.get(RewardModel.HEAD).equal(initialHead)).as("the head is trained").isFalse();

        // what a kill after step 3 leaves: the checkpoint of step 2, metrics up to step 3
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(full.resolve(RewardRecipe.CONFIG_FILE), killed.resolve(RewardRecipe.CONFIG_FILE));
        copyTree(full.resolve("checkpoints/step-000002"), killed.resolve("checkpoints/step-000002"));
        List<String> lines = Files.readAllLines(full.resolve("metrics.jsonl"));
        Files.writeString(killed.resolve("metrics.jsonl"), String.join("\n", lines.subList(0, 4)) + "\n");
        RunResult<RewardEvaluation> resumedResult = new RewardRecipe().train(stories(data, killed, settings).with("--resume"));
        assertThat(resumedResult.evalBefore().accuracy()).as("read back from metrics.jsonl's step 0")
                .isEqualTo(metrics(full).get(0).get("eval_accuracy").asDouble());

        List<JsonNode> uninterrupted = metrics(full), resumed = metrics(killed);
        assertThat(resumed).hasSameSizeAs(uninterrupted);
        for (int i = 0; i < resumed.size(); i++) {
            assertThat(resumed.get(i).path("loss").asDouble(-1)).isCloseTo(uninterrupted.get(i).path("loss").asDouble(-1), within(1e-6));
            assertThat(resumed.get(i).path("eval_accuracy").asDouble(-1)).isEqualTo(uninterrupted.get(i).path("eval_accuracy").asDouble(-1));
        }
    }

    @Test
    void aBadRowFailsWithFileLineAndFieldBeforeAnythingIsWritten() throws Exception {
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, """
                {"instruction": "Say hi.", "input": "", "output": ["Hi.", "Bye."]}
                {"instruction": "Say bye.", "input": "", "output": ["Bye.", 7]}
                """);
        Path output = dir.resolve("never");
        assertThatThrownBy(() -> new RewardRecipe().train(stories(data, output)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad.jsonl:2").hasMessageContaining("output[1]");
        assertThat(output).doesNotExist();
    }
}
