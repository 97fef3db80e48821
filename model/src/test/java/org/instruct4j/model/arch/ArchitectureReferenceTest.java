package org.instruct4j.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.ModelFiles;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Llama2cTokenizerFile;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each architecture, loaded from a config.json and model.safetensors written here with random weights, against the
 * plain-Java reference of the Hugging Face modeling code, to 1e-4 in fp32; and the CPU engine, built from the same
 * files, against libtorch for the prompt's logits and every decode step, with rows batched exactly as alone.
 */
class ArchitectureReferenceTest {
    private static final Device CPU = new Device("cpu");
    private static final int[] TOKENS = {1, 17, 5, 33, 8, 8, 29, 2, 11};
    private static final int DIM = 32, HIDDEN = 48, LAYERS = 2, VOCAB = 40;
    /** Every model here has 4 query heads, so head_dim 8 and 4 rotary frequencies. */
    private static final int HALF_HEAD_DIM = DIM / 4 / 2;

    @TempDir
    Path dir;

    private final Random random = new Random(11);

    @Test
    void llama3WithRopeScalingAndGroupedQueries() throws Exception {
        Map<String, float[]> w = llamaWeights(4, 2, false, true);
        String config = llamaConfig("llama", 4, 2, 500000.0, false, """
                "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                 "high_freq_factor": 4.0, "original_max_position_embeddings": 16},""");
        double[] inv = llama3Frequencies(500000.0, HALF_HEAD_DIM, 8.0, 1.0, 4.0, 16);

        float[][] expected = ReferenceHfDecoder.llama(w, DIM, HIDDEN, LAYERS, 4, 2, VOCAB, 1e-5, inv, 0, false, TOKENS);

        CausalLm model = load(config, w);
        assertMatches(model, expected);
        assertCpuEngineMatches(model);
    }

    @Test
    void qwen2WithQkvBiasAndTiedEmbeddings() throws Exception {
        Map<String, float[]> w = llamaWeights(4, 4, true, false);
        String config = llamaConfig("qwen2", 4, 4, 1000000.0, true, "");

        float[][] expected = ReferenceHfDecoder.llama(w, DIM, HIDDEN, LAYERS, 4, 4, VOCAB, 1e-5,
                plainFrequencies(1000000.0, HALF_HEAD_DIM), 0, true, TOKENS);

        CausalLm model = load(config, w);
        assertMatches(model, expected);
        assertCpuEngineMatches(model);
    }

    @Test
    void mistralWithASlidingWindow() throws Exception {
        Map<String, float[]> w = llamaWeights(4, 1, false, true);
        String config = llamaConfig("mistral", 4, 1, 10000.0, false, "\"sliding_window\": 3,");

        float[][] expected = ReferenceHfDecoder.llama(w, DIM, HIDDEN, LAYERS, 4, 1, VOCAB, 1e-5,
                plainFrequencies(10000.0, HALF_HEAD_DIM), 3, false, TOKENS);

        CausalLm model = load(config, w);
        assertMatches(model, expected);
        assertCachedDecodingMatches(model, expected);
        assertCpuEngineMatches(model);
    }

    @Test
    void optWithLearnedPositionsAndLayerNorm() throws Exception {
        Map<String, float[]> w = optWeights(VOCAB, 64);
        CausalLm model = load(optConfig(VOCAB), w);

        float[][] expected = ReferenceHfDecoder.opt(w, DIM, HIDDEN, LAYERS, 4, VOCAB, TOKENS);

        assertMatches(model, expected);
        assertCachedDecodingMatches(model, expected);
        assertCpuEngineMatches(model);
    }

    @Test
    void optBatchedGenerationWithLeftPaddingMatchesOneByOne() throws Exception {
        Tokenizer tokenizer = Llama2cTokenizerFile.read(SharedData.path("models/stories260K/tok512.bin"));
        CausalLm model = load(optConfig(512), optWeights(512, 64));
        Generator generator = new Generator(model, tokenizer);
        List<String> prompts = List.of("Once upon a time there was", "Lily", "The dog ran");
        GenerationConfig config = GenerationConfig.greedy(12).withStopAtEos(false);

        List<Generation> batched = generator.generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(batched.get(i).tokenIds()).as("prompt %d", i)
                    .containsExactly(generator.generate(prompts.get(i), config).tokenIds());
        }
    }

    private CausalLm load(String config, Map<String, float[]> weights) throws Exception {
        Files.writeString(dir.resolve("config.json"), config);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        weights.forEach((name, values) -> tensors.put(name, Tensors.floats(values, shapeOf(name, values.length))));
        Safetensors.write(tensors, dir.resolve("model.safetensors"));
        return Architectures.fromConfig(dir.resolve("config.json"), Safetensors.readDirectory(dir, UnaryOperator.identity()));
    }

    /** Matrices are [out, in] with in = DIM or HIDDEN; the checkpoint needs the real 2-D shape. */
    private static long[] shapeOf(String name, int length) {
        if (name.endsWith("bias") || name.contains("norm") || name.contains("layer_norm")) {
            return new long[] {length};
        }
        int in = name.contains("down_proj") || name.contains("fc2") ? HIDDEN : DIM;
        return new long[] {length / in, in};
    }

    private Map<String, float[]> llamaWeights(int heads, int kvHeads, boolean qkvBias, boolean untied) {
        int kvDim = DIM / heads * kvHeads;
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("model.embed_tokens.weight", gaussian(VOCAB * DIM, 1));
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", nearOne(DIM));
            w.put(p + "self_attn.q_proj.weight", gaussian(DIM * DIM, 0.3));
            w.put(p + "self_attn.k_proj.weight", gaussian(kvDim * DIM, 0.3));
            w.put(p + "self_attn.v_proj.weight", gaussian(kvDim * DIM, 0.3));
            if (qkvBias) {
                w.put(p + "self_attn.q_proj.bias", gaussian(DIM, 0.3));
                w.put(p + "self_attn.k_proj.bias", gaussian(kvDim, 0.3));
                w.put(p + "self_attn.v_proj.bias", gaussian(kvDim, 0.3));
            }
            w.put(p + "self_attn.o_proj.weight", gaussian(DIM * DIM, 0.3));
            w.put(p + "post_attention_layernorm.weight", nearOne(DIM));
            w.put(p + "mlp.gate_proj.weight", gaussian(HIDDEN * DIM, 0.3));
            w.put(p + "mlp.up_proj.weight", gaussian(HIDDEN * DIM, 0.3));
            w.put(p + "mlp.down_proj.weight", gaussian(DIM * HIDDEN, 0.3));
        }
        w.put("model.norm.weight", nearOne(DIM));
        if (untied) {
            w.put("lm_head.weight", gaussian(VOCAB * DIM, 0.3));
        }
        return w;
    }

    private Map<String, float[]> optWeights(int vocab, int maxPositions) {
        String d = "model.decoder.";
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put(d + "embed_tokens.weight", gaussian(vocab * DIM, 1));
        w.put(d + "embed_positions.weight", gaussian((maxPositions + 2) * DIM, 1));
        for (int l = 0; l < LAYERS; l++) {
            String p = d + "layers." + l + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.put(p + "self_attn." + proj + ".weight", gaussian(DIM * DIM, 0.3));
                w.put(p + "self_attn." + proj + ".bias", gaussian(DIM, 0.3));
            }
            w.put(p + "self_attn_layer_norm.weight", nearOne(DIM));
            w.put(p + "self_attn_layer_norm.bias", gaussian(DIM, 0.1));
            w.put(p + "fc1.weight", gaussian(HIDDEN * DIM, 0.3));
            w.put(p + "fc1.bias", gaussian(HIDDEN, 0.3));
            w.put(p + "fc2.weight", gaussian(DIM * HIDDEN, 0.3));
            w.put(p + "fc2.bias", gaussian(DIM, 0.3));
            w.put(p + "final_layer_norm.weight", nearOne(DIM));
            w.put(p + "final_layer_norm.bias", gaussian(DIM, 0.1));
        }
        w.put(d + "final_layer_norm.weight", nearOne(DIM));
        w.put(d + "final_layer_norm.bias", gaussian(DIM, 0.1));
        return w;
    }

    private static String llamaConfig(String type, int heads, int kvHeads, double theta, boolean tied, String extra) {
        return """
                {"model_type": "%s", "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                 "num_attention_heads": %d, "num_key_value_heads": %d, "vocab_size": %d,
                 "max_position_embeddings": 64, "rms_norm_eps": 1e-05, "rope_theta": %s, %s
                 "tie_word_embeddings": %s}
                """.formatted(type, DIM, HIDDEN, LAYERS, heads, kvHeads, VOCAB, theta, extra, tied);
    }

    private static String optConfig(int vocab) {
        return """
                {"model_type": "opt", "hidden_size": %d, "ffn_dim": %d, "num_hidden_layers": %d,
                 "num_attention_heads": 4, "vocab_size": %d, "max_position_embeddings": 64,
                 "do_layer_norm_before": true, "activation_function": "relu", "word_embed_proj_dim": %d}
                """.formatted(DIM, HIDDEN, LAYERS, vocab, DIM);
    }

    private static double[] plainFrequencies(double theta, int half) {
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, 2.0 * i / (2 * half));
        }
        return inv;
    }

    /** transformers' _compute_llama3_parameters, transliterated. */
    private static double[] llama3Frequencies(double theta, int half, double factor, double low, double high, int original) {
        double[] inv = plainFrequencies(theta, half);
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            double smooth = (original / wavelen - low) / (high - low);
            if (wavelen > original / low) {
                inv[i] = inv[i] / factor;
            } else if (wavelen >= original / high) {
                inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
            }
        }
        return inv;
    }

    private static void assertMatches(CausalLm model, float[][] expected) {
        try (PointerScope scope = new PointerScope()) {
            float[] logits = Tensors.toFloats(model.forward(ids(TOKENS), positions(0, TOKENS.length), null, null, false));
            for (int t = 0; t < expected.length; t++) {
                assertRowClose(Arrays.copyOfRange(logits, t * VOCAB, (t + 1) * VOCAB), expected[t], "position " + t);
            }
        }
    }

    private static void assertCachedDecodingMatches(CausalLm model, float[][] expected) {
        try (KvCache cache = model.newCache(1, TOKENS.length)) {
            try (PointerScope scope = new PointerScope()) {
                float[] last = Tensors.toFloats(model.forward(ids(Arrays.copyOf(TOKENS, 5)), positions(0, 5), null, cache, true));
                assertRowClose(last, expected[4], "prefill");
            }
            for (int t = 5; t < TOKENS.length; t++) {
                try (PointerScope scope = new PointerScope()) {
                    float[] step = Tensors.toFloats(model.forward(ids(new int[] {TOKENS[t]}), positions(t, 1), null, cache, true));
                    assertRowClose(step, expected[t], "cached step " + t);
                }
            }
        }
    }

    /**
     * The CPU engine over the files in {@code dir} against libtorch's {@code model}: the logits after every prompt
     * token, then after each token decoded one at a time, to 1e-4; and rows of three lengths in one pass get exactly
     * the logits they get alone.
     */
    private void assertCpuEngineMatches(CausalLm model) {
        ModelFiles files = ModelFiles.map(dir);
        try (CpuEngine cpu = CpuEngine.open(files.config(), files.weights(), Precision.FP32, Quantization.NONE)) {
            InferenceEngine torch = new TorchEngine(model);
            int vocab = model.vocabSize(), prompt = 5;
            try (Sequence ours = cpu.newSequence(TOKENS.length); Sequence theirs = torch.newSequence(TOKENS.length)) {
                float[] ourLogits = new float[prompt * vocab], theirLogits = new float[prompt * vocab];
                cpu.forward(new Batch().addScored(ours, TOKENS, 0, prompt, ourLogits));
                torch.forward(new Batch().addScored(theirs, TOKENS, 0, prompt, theirLogits));
                assertRowClose(ourLogits, theirLogits, "CPU engine prefill");
                for (int t = prompt; t < TOKENS.length; t++) {
                    cpu.forward(new Batch().add(ours, TOKENS[t]));
                    torch.forward(new Batch().add(theirs, TOKENS[t]));
                    assertRowClose(ours.logits(), theirs.logits(), "CPU engine decode step " + t);
                }
            }
            int[] lengths = {3, 9, 6};
            float[][] alone = new float[lengths.length][];
            for (int r = 0; r < lengths.length; r++) {
                try (Sequence row = cpu.newSequence(TOKENS.length)) {
                    cpu.forward(new Batch().add(row, TOKENS, 0, lengths[r], true));
                    alone[r] = row.logits().clone();
                }
            }
            Sequence[] rows = new Sequence[lengths.length];
            Batch batch = new Batch();
            for (int r = 0; r < lengths.length; r++) {
                rows[r] = cpu.newSequence(TOKENS.length);
                batch.add(rows[r], TOKENS, 0, lengths[r], true);
            }
            cpu.forward(batch);
            for (int r = 0; r < lengths.length; r++) {
                assertThat(rows[r].logits()).as("row %d batched", r).containsExactly(alone[r]);
                rows[r].close();
            }
        }
    }

    private static void assertRowClose(float[] actual, float[] expected, String where) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("%s, logit %d: libtorch %s vs reference %s", where, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-4f * Math.max(1f, Math.abs(expected[i])));
        }
    }

    private static Tensor ids(int[] tokens) {
        return Tensors.longs(Arrays.stream(tokens).asLongStream().toArray(), CPU, 1, tokens.length);
    }

    private static Tensor positions(int start, int count) {
        long[] values = new long[count];
        Arrays.setAll(values, i -> start + i);
        return Tensors.longs(values, CPU, 1, count);
    }

    private float[] gaussian(int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * scale);
        }
        return out;
    }

    private float[] nearOne(int n) {
        float[] out = gaussian(n, 0.1);
        for (int i = 0; i < n; i++) {
            out[i] += 1;
        }
        return out;
    }
}
