package org.instruct4j.train.reward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.preference.PreferenceFixtures;
import org.instruct4j.train.run.RunResult;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's backbone architecture: a reward model on a (small, random) OPT, saved as OPTForSequenceClassification. */
public class OptRewardModelTest {
    static final int HIDDEN = 32, FFN = 64, LAYERS = 2, VOCAB = 512, POSITIONS = 256;

    @TempDir
    Path dir;

    @Test
    void anOptRewardModelTrainsSavesInTransformersLayoutAndLoadsBack() throws Exception {
        Path base = randomOpt(dir.resolve("opt"));
        Path data = PreferenceFixtures.ruleBased(dir, 8);
        Path output = dir.resolve("rm");
        RunResult<RewardEvaluation> result = new RewardRecipe().train(RewardRecipe.SETTINGS.defaults().with("--base=" + base, "--data=" + data,
                "--output=" + output, "--precision=fp32", "--quiet", "--max-length=160", "--lr=3e-3", "--batch-size=2",
                "--micro-batch-size=2", "--max-steps=3", "--eval-fraction=0.25", "--save-steps=0"));

        JsonNode config = Json.MAPPER.readTree(output.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("OPTForSequenceClassification");
        assertThat(config.path("model_type").asText()).isEqualTo("opt");
        Map<String, Tensor> weights = Safetensors.readDirectory(output, t -> t);
        assertThat(Tensors.shape(weights.get("score.weight"))).containsExactly(1, HIDDEN);
        assertThat(weights).containsKey("model.decoder.embed_positions.weight").doesNotContainKey("lm_head.weight");

        RewardModel loaded = RewardModel.load(output, Precision.FP32, null);
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, loaded.tokenizer()), 160);
        RewardEvaluation again = RewardEvaluation.of(loaded, PreferenceData.load(data, encoder, 0.25, 42, true).eval(), 4);
        for (String source : PreferenceFixtures.SOURCES) {
            assertThat(again.rewardsBySource().get(source)).as(source).containsExactly(result.evalAfter().rewardsBySource().get(source));
        }
    }

    /** A Hugging Face OPT directory with random weights (normal(0, 0.02), unit LayerNorms) and stories260K's vocabulary. */
    public static Path randomOpt(Path dir) throws Exception {
        Files.createDirectories(dir);
        torch.manual_seed(3);
        Map<String, Tensor> w = new LinkedHashMap<>();
        String d = "model.decoder.";
        w.put(d + "embed_tokens.weight", normal(VOCAB, HIDDEN));
        w.put(d + "embed_positions.weight", normal(POSITIONS + 2, HIDDEN));
        for (int i = 0; i < LAYERS; i++) {
            String p = d + "layers." + i + ".";
            for (String projection : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.put(p + "self_attn." + projection + ".weight", normal(HIDDEN, HIDDEN));
                w.put(p + "self_attn." + projection + ".bias", zeros(HIDDEN));
            }
            w.put(p + "self_attn_layer_norm.weight", ones(HIDDEN));
            w.put(p + "self_attn_layer_norm.bias", zeros(HIDDEN));
            w.put(p + "fc1.weight", normal(FFN, HIDDEN));
            w.put(p + "fc1.bias", zeros(FFN));
            w.put(p + "fc2.weight", normal(HIDDEN, FFN));
            w.put(p + "fc2.bias", zeros(HIDDEN));
            w.put(p + "final_layer_norm.weight", ones(HIDDEN));
            w.put(p + "final_layer_norm.bias", zeros(HIDDEN));
        }
        w.put(d + "final_layer_norm.weight", ones(HIDDEN));
        w.put(d + "final_layer_norm.bias", zeros(HIDDEN));
        Safetensors.write(w, dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["OPTForCausalLM"], "model_type": "opt", "hidden_size": %d, "ffn_dim": %d,
                 "num_hidden_layers": %d, "num_attention_heads": 4, "vocab_size": %d, "max_position_embeddings": %d,
                 "do_layer_norm_before": true, "activation_function": "relu", "word_embed_proj_dim": %d,
                 "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0}
                """.formatted(HIDDEN, FFN, LAYERS, VOCAB, POSITIONS, HIDDEN));
        Files.copy(TinyRuns.STORIES_TOKENIZER, dir.resolve("tokenizer.bin"));
        return dir;
    }

    private static Tensor normal(long... shape) {
        return torch.randn(shape, new TensorOptions(ScalarType.Float)).mul(new Scalar(0.02));
    }

    private static Tensor zeros(long size) {
        return torch.zeros(new long[] {size}, new TensorOptions(ScalarType.Float));
    }

    private static Tensor ones(long size) {
        return torch.ones(new long[] {size}, new TensorOptions(ScalarType.Float));
    }
}
