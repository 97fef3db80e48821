package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftRecipeTest {
    @TempDir
    Path dir;

    @Test
    void eosIsLearnedAndTheOutputIsAModelDirectoryThatGenerates() throws Exception {
        Path data = twoInstructions();
        Path output = dir.resolve("run");
        SftResult result = SftRecipe.run(TinyRuns.stories(data, output, "--lr=3e-3", "--epochs=60", "--batch-size=2",
                "--micro-batch-size=1", "--warmup-ratio=0", "--lr-scheduler=constant", "--save-steps=0"));

        assertThat(result.finished()).isTrue();
        assertThat(result.lastLoss()).isLessThan(0.05);
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.bin", "generation_config.json",
                "sft_config.yaml", "metrics.jsonl", "train_summary.json")) {
            assertThat(output.resolve(file)).exists();
        }
        LoadedModel trained = ModelDirectory.load(output);
        Generation hi = trained.generator().generate(AlpacaPrompt.render("Say hi.", ""), GenerationConfig.greedy(40));
        assertThat(hi.text()).isEqualTo("Hi there.");
        assertThat(hi.finishReason()).isEqualTo(Generation.FinishReason.EOS);
        Generation color = trained.generator().generate(AlpacaPrompt.render("Name a color.", ""), GenerationConfig.greedy(40));
        assertThat(color.text()).isEqualTo("Blue.");
        assertThat(color.finishReason()).isEqualTo(Generation.FinishReason.EOS);
    }

    @Test
    void bf16ComputeWithFp32MasterWeightsLearnsAndSavesFp32() throws Exception {
        Path data = twoInstructions();
        Path output = dir.resolve("bf16");
        SftRecipe.run(TinyRuns.stories(data, output, "--precision=bf16", "--lr=3e-3", "--epochs=15", "--batch-size=2",
                "--micro-batch-size=1", "--warmup-ratio=0", "--save-steps=0"));
        List<JsonNode> curve = TinyRuns.metrics(output);
        assertThat(curve.get(curve.size() - 1).get("loss").asDouble()).isLessThan(curve.get(0).get("loss").asDouble() / 3);
        var weights = org.instruct4j.model.checkpoint.Safetensors.read(output.resolve("model.safetensors"), t -> t);
        assertThat(weights.values()).allMatch(t -> t.scalar_type().intern() == org.bytedeco.pytorch.global.torch.ScalarType.Float);
        assertThat(Files.readString(output.resolve("sft_config.yaml"))).contains("precision: \"bf16\"");
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedLossCurve() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 32, 150);
        Path full = dir.resolve("full");
        String[] settings = {"--batch-size=4", "--micro-batch-size=2", "--epochs=1", "--lr=1e-3", "--save-steps=3",
            "--save-total-limit=5", "--eval-fraction=0.125", "--eval-steps=4", "--max-length=256"};
        SftRecipe.run(TinyRuns.stories(data, full, settings));
        List<JsonNode> uninterrupted = TinyRuns.metrics(full);
        assertThat(uninterrupted).hasSize(8).first().satisfies(row -> assertThat(row.has("loss")).as("step 0: evaluation only").isFalse());

        // The state a kill -9 at step 5 leaves: checkpoint step 3, metrics up to step 5 (and step 0's evaluation), no final model.
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(full.resolve("sft_config.yaml"), killed.resolve("sft_config.yaml"));
        TinyRuns.copyTree(full.resolve("checkpoints/step-000003"), killed.resolve("checkpoints/step-000003"));
        Files.createDirectories(killed.resolve("checkpoints/.incomplete-step-000006-1"));
        List<String> lines = Files.readAllLines(full.resolve("metrics.jsonl"));
        Files.writeString(killed.resolve("metrics.jsonl"), String.join("\n", lines.subList(0, 6)) + "\n{\"step\": 6, \"lo");

        SftResult resumed = SftRecipe.run(TinyRuns.stories(data, killed, settings).with("--resume"));

        assertThat(resumed.finished()).isTrue();
        List<JsonNode> curve = TinyRuns.metrics(killed);
        assertThat(curve).hasSameSizeAs(uninterrupted);
        for (int i = 0; i < curve.size(); i++) {
            assertThat(curve.get(i).get("step").asInt()).isEqualTo(uninterrupted.get(i).get("step").asInt());
            assertThat(curve.get(i).path("loss").asDouble(-1)).as("loss at step %d", i)
                    .isCloseTo(uninterrupted.get(i).path("loss").asDouble(-1), within(1e-6));
            assertThat(curve.get(i).path("eval_loss").asDouble(-1)).isCloseTo(uninterrupted.get(i).path("eval_loss").asDouble(-1), within(1e-6));
        }
        assertThat(killed.resolve("checkpoints/.incomplete-step-000006-1")).doesNotExist();
        assertThat(resumed.firstEvalLoss()).as("read back from step 0's row").isEqualTo(curve.get(0).get("eval_loss").asDouble());
    }

    @Test
    void aBadRowFailsWithFileLineAndFieldBeforeAnythingIsWritten() throws Exception {
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, """
                {"instruction": "Say hi.", "input": "", "output": "Hi."}
                {"instruction": "Say bye.", "input": "", "output": 42}
                """);
        Path output = dir.resolve("never");
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("\"output\"");
        assertThat(output).doesNotExist();
    }

    @Test
    void anExistingRunIsNotOverwrittenWithoutResume() throws Exception {
        Path data = dir.resolve("tiny.jsonl");
        Files.writeString(data, "{\"instruction\": \"Say hi.\", \"output\": \"Hi.\"}\n");
        Path output = dir.resolve("run");
        SftRecipe.run(TinyRuns.stories(data, output, "--epochs=1", "--batch-size=1", "--micro-batch-size=1"));
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, "--epochs=1", "--batch-size=1", "--micro-batch-size=1")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--resume");
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, "--epochs=2", "--batch-size=1", "--micro-batch-size=1", "--resume")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("epochs 1 -> 2");
    }

    @Test
    void aFinishedRunIsNoticedBeforeTheModelIsLoadedOrTheDataTokenized() throws Exception {
        Path data = dir.resolve("tiny.jsonl");
        Files.writeString(data, "{\"instruction\": \"Say hi.\", \"output\": \"Hi.\"}\n");
        Path base = dir.resolve("base.bin");
        Files.copy(TinyRuns.STORIES, base);
        Path output = dir.resolve("run");
        String[] settings = {"--base=" + base, "--epochs=2", "--batch-size=1", "--micro-batch-size=1"};
        SftResult first = SftRecipe.run(TinyRuns.stories(data, output, settings));

        Files.writeString(base, "not a model any more");
        Files.writeString(data, "{\"instruction\": 7}\n");
        SftResult again = SftRecipe.run(TinyRuns.stories(data, output, settings).with("--resume"));
        assertThat(again.finished()).isTrue();
        assertThat(again.steps()).isEqualTo(first.steps()).isEqualTo(2);
        assertThat(again.lastLoss()).isEqualTo(first.lastLoss());
        assertThat(again.dataSummary()).isEqualTo(first.dataSummary());
    }

    @Test
    void settingsTheBaseModelCannotHonourFailBeforeAnythingIsLoadedOrWritten() throws Exception {
        Path data = twoInstructions();
        Path headerOnly = dir.resolve("header-only.bin"); // a valid llama2.c header without weights: loading it would fail
        Files.write(headerOnly, java.util.Arrays.copyOf(Files.readAllBytes(TinyRuns.STORIES), 28));
        Path output = dir.resolve("never");
        String base = "--base=" + headerOnly;
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, base, "--max-length=100000")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--max-length 100000 is longer than the 512 positions the base model has (seq_len in the llama2.c header")
                .hasMessageContaining("use --max-length=512 or less");
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, base, "--lora", "--lora-target-modules=q_proj,wq")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("'wq' is no linear layer of this llama model; its layers are self_attn.q_proj");
        assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, base, "--prompt-format=chat")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no tokenizer_config.json with a chat_template");
        assertThat(output).doesNotExist();
        SftRecipe.run(TinyRuns.stories(data, output, "--max-length=512", "--max-steps=1", "--batch-size=1", "--micro-batch-size=1"));
        assertThat(output.resolve("train_summary.json")).as("the longest length the model has is fine").exists();
    }

    private Path twoInstructions() throws Exception {
        Path data = dir.resolve("tiny.jsonl");
        Files.writeString(data, """
                {"instruction": "Say hi.", "input": "", "output": "Hi there."}
                {"instruction": "Name a color.", "input": "", "output": "Blue."}
                """);
        return data;
    }
}
