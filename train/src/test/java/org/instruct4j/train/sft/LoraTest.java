package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.lora.LoraAdapters;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {
    static final Device CPU = new Device("cpu");

    @TempDir
    Path dir;

    @Test
    void loraTrainsOnlyTheAdaptersAndMergingGivesTheSameLogits() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 16, 150);
        Path output = dir.resolve("adapter");
        SftRecipe.run(TinyRuns.stories(data, output, "--lora", "--lora-r=4", "--lora-alpha=8", "--lr=1e-2",
                "--batch-size=4", "--micro-batch-size=4", "--epochs=1", "--max-length=256"));

        assertThat(output.resolve("model.safetensors")).doesNotExist();
        Map<String, Tensor> adapter = Safetensors.read(output.resolve(LoraAdapters.WEIGHTS_FILE), t -> t);
        assertThat(adapter).hasSize(5 * 2 * 2).containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        assertThat(adapter.get("base_model.model.model.layers.4.self_attn.v_proj.lora_B.weight").abs().sum().item_double())
                .as("B starts at zero and was trained").isGreaterThan(0);
        LoraSpec spec = LoraSpec.read(output);
        assertThat(spec.rank()).isEqualTo(4);
        assertThat(spec.targetModules()).containsExactly("q_proj", "v_proj");

        LoadedModel base = ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32, CPU);
        LoadedModel merged = ModelDirectory.load(output);
        for (var entry : base.model().weights().entrySet()) {
            Tensor after = merged.model().weights().get(entry.getKey());
            boolean target = entry.getKey().contains("q_proj") || entry.getKey().contains("v_proj");
            assertThat(after.equal(entry.getValue())).as(entry.getKey()).isEqualTo(!target);
        }

        CausalLm adapted = base.model();
        LoraAdapters.attach(adapted, spec, LoraAdapters.read(output, adapted), output.toString());
        long[] ids = {1, 403, 407, 261, 378, 285, 429, 350, 283, 260};
        long[] positions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor input = Tensors.longs(ids, CPU, 1, ids.length);
            Tensor pos = Tensors.longs(positions, CPU, 1, ids.length);
            float[] withAdapters = Tensors.toFloats(adapted.forward(input, pos, null, null, false));
            float[] mergedLogits = Tensors.toFloats(merged.model().forward(input, pos, null, null, false));
            float[] baseLogits = Tensors.toFloats(ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER,
                    Precision.FP32, CPU).model().forward(input, pos, null, null, false));
            double maxDiff = 0, moved = 0;
            for (int i = 0; i < mergedLogits.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(mergedLogits[i] - withAdapters[i]));
                moved = Math.max(moved, Math.abs(mergedLogits[i] - baseLogits[i]));
            }
            assertThat(maxDiff).as("merged vs base + adapters").isLessThan(1e-4);
            assertThat(moved).as("the adapters changed the model").isGreaterThan(1e-2);
        }
        assertThat(Files.readString(output.resolve(LoraSpec.CONFIG_FILE))).contains("\"peft_type\" : \"LORA\"");
    }
}
