package org.instruct4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
    private static final Device CPU = new Device("cpu");
    private static final long[] TOKENS = {1, 5, 99, 42, 7, 300, 12};

    @TempDir
    Path dir;

    @Test
    void stories260KSavedAsHuggingFaceStillReproducesLlama2c() throws Exception {
        LoadedModel original = ModelDirectory.loadLlama2c(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), Precision.FP32, CPU);

        ModelDirectory.save(original.model(), dir, SharedData.path("models/stories260K/tok512.bin"));
        LoadedModel reloaded = ModelDirectory.load(dir, Precision.FP32, CPU);

        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
        assertThat(config.get("num_key_value_heads").asInt()).isEqualTo(4);
        assertThat(config.get("tie_word_embeddings").asBoolean()).isTrue();
        assertThat(Files.readString(dir.resolve("model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("model.layers.4.self_attn.q_proj.weight").doesNotContain("lm_head.weight");
        JsonNode reference = new ObjectMapper().readTree(SharedData.path("models/stories260K/greedy_reference.json").toFile());
        Generation generation = reloaded.generator()
                .generateFromIds(new int[][] {{1}}, GenerationConfig.greedy(200)).get(0);
        assertThat(generation.text()).isEqualTo(reference.get("expected_text").asText());
    }

    @Test
    void savedAndReloadedRandomModelGivesIdenticalLogits() {
        LlamaConfig config = new LlamaConfig("llama", 64, 96, 2, 8, 2, 8, 320, 128, 1e-5, 500000.0,
                null, false, 0, 1, new int[] {2});
        Llama model = Architectures.randomLlama(config, Precision.FP32, CPU, 3);

        ModelDirectory.save(model, dir, SharedData.path("models/stories260K/tok512.bin"), 40_000);
        LoadedModel reloaded = ModelDirectory.load(dir, Precision.FP32, CPU);

        assertThat(dir.resolve("model.safetensors.index.json")).exists();
        assertThat(logits(reloaded.model())).containsExactly(logits(model));
    }

    @Test
    void bf16ModelSavesAsBf16AndLoadsInEitherPrecision() throws Exception {
        LlamaConfig config = LlamaConfig.llama(64, 96, 2, 4, 4, 320, 128, true);
        Llama model = Architectures.randomLlama(config, Precision.BF16, CPU, 5);

        ModelDirectory.save(model, dir, SharedData.path("models/stories260K/tok512.bin"));
        CausalLm asBf16 = ModelDirectory.load(dir, Precision.BF16, CPU).model();
        CausalLm asFp32 = ModelDirectory.load(dir, Precision.FP32, CPU).model();

        assertThat(Files.readString(dir.resolve("model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("\"BF16\"").doesNotContain("\"F32\"");
        assertThat(new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("torch_dtype").asText())
                .isEqualTo("bfloat16");
        float[] expected = logits(model);
        assertThat(logits(asBf16)).containsExactly(expected);
        float[] fp32 = logits(asFp32);
        for (int i = 0; i < expected.length; i++) {
            assertThat(fp32[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(0.05f));
        }
    }

    private static float[] logits(CausalLm model) {
        try (PointerScope scope = new PointerScope()) {
            long[] positions = new long[TOKENS.length];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
            return Tensors.toFloats(model.forward(Tensors.longs(TOKENS, CPU, 1, TOKENS.length),
                    Tensors.longs(positions, CPU, 1, TOKENS.length), null, null, false));
        }
    }
}
