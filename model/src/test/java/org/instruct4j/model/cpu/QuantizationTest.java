package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.ModelFiles;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.checkpoint.Gguf;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.generate.LogLikelihood;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF's Q8_0 on the CPU engine: the held-out loss stays within 1% of float32, and a model quantized, saved with
 * {@code model quantize}'s writer and loaded back gives the logits of the same model quantized on load.
 */
class QuantizationTest {
    private static final Path STORIES = SharedData.path("models/stories260K/stories260K.bin");
    private static final Path STORIES_TOKENIZER = SharedData.path("models/stories260K/tok512.bin");
    private static final int HELD_OUT = 100;

    @TempDir
    Path dir;

    @Test
    void q8HeldOutLossOfStories260KIsWithinOnePercentOfFp32() throws Exception {
        Tokenizer tokenizer = Tokenizers.load(STORIES_TOKENIZER);
        List<int[]> rows = heldOutRows(tokenizer, 512);
        double fp32 = meanNll(open(STORIES, Quantization.NONE), rows);
        double q8 = meanNll(open(STORIES, Quantization.Q8_0), rows);

        assertThat(fp32).isBetween(1.0, 8.0);
        assertThat(Math.abs(q8 - fp32) / fp32).as("Q8_0 %.5f vs fp32 %.5f", q8, fp32).isLessThan(0.01);
    }

    /**
     * A random Llama of llama2.c's 15M shape (no trained 15M model is available offline), its weights scaled up so its
     * predictions are far from uniform and quantization error shows; rows cut to 48 tokens to keep the test short.
     */
    @Test
    void q8HeldOutLossOfA15MModelIsWithinOnePercentOfFp32() throws Exception {
        Tokenizer tokenizer = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        Llama random = Architectures.randomLlama(LlamaConfig.preset("small", tokenizer.vocabSize()), Precision.FP32,
                new Device("cpu"), 3);
        Map<String, Tensor> scaled = new LinkedHashMap<>();
        random.weights().forEach((name, w) -> scaled.put(name, w.dim() == 2 ? Tensors.keep(w.mul(new Scalar(5))) : w));
        Llama model = random.withWeights(scaled);
        List<int[]> rows = heldOutRows(tokenizer, 48);
        double fp32 = meanNll(CpuEngine.fromTorch(model, InferenceOptions.defaults()), rows);
        double q8 = meanNll(CpuEngine.fromTorch(model, InferenceOptions.defaults().withQuantization(Quantization.Q8_0)), rows);

        assertThat(Math.abs(fp32 - Math.log(tokenizer.vocabSize()))).as("far from uniform: %.3f nats", fp32).isGreaterThan(0.5);
        assertThat(Math.abs(q8 - fp32) / fp32).as("Q8_0 %.5f vs fp32 %.5f", q8, fp32).isLessThan(0.01);
    }

    @Test
    void quantizeSaveAndReloadGiveTheLogitsOfQuantizingOnLoad() {
        Path saved = dir.resolve("stories260K-q8");
        ModelDirectory.saveQuantized(STORIES, STORIES_TOKENIZER, saved, Quantization.Q8_0);

        Tokenizer tokenizer = Tokenizers.load(STORIES_TOKENIZER);
        int[] prompt = tokenizer.encode("Once upon a time, there was a little dog", true);
        float[] onLoad = lastLogits(open(STORIES, Quantization.Q8_0), prompt);
        try (InferenceModel reloaded = ModelDirectory.openForInference(saved, null, InferenceOptions.defaults())) {
            assertThat(reloaded.engine().description()).contains("Q8_0");
            assertThat(lastLogits(reloaded.engine(), prompt)).containsExactly(onLoad);
        }
        try (InferenceModel torch = ModelDirectory.openForInference(saved, null,
                InferenceOptions.defaults().withEngine(EngineChoice.TORCH))) {
            float[] dequantized = lastLogits(torch.engine(), prompt);
            for (int i = 0; i < onLoad.length; i++) {
                assertThat(dequantized[i]).as("logit %d", i).isCloseTo(onLoad[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
        Gguf.Mapped gguf = Gguf.map(saved.resolve(ModelFiles.GGUF_FILE));
        gguf.tensors().close();
        assertThat(gguf.metadata()).containsEntry("general.architecture", "llama").containsEntry("llama.block_count", 5L)
                .containsEntry("tokenizer.ggml.model", "llama");
        assertThat((List<?>) gguf.metadata().get("tokenizer.ggml.tokens")).hasSize(512);
    }

    private static CpuEngine open(Path checkpoint, Quantization quantization) {
        ModelFiles files = ModelFiles.map(checkpoint);
        return CpuEngine.open(files.config(), files.weights(), Precision.FP32, quantization);
    }

    private static float[] lastLogits(InferenceEngine engine, int[] prompt) {
        try (Sequence row = engine.newSequence(prompt.length)) {
            engine.forward(new Batch().add(row, prompt, 0, prompt.length, true));
            return row.logits().clone();
        }
    }

    /** The last 100 rows of the Alpaca sample (held out) as prompt and answer, BOS first, cut to {@code maxTokens}. */
    static List<int[]> heldOutRows(Tokenizer tokenizer, int maxTokens) throws Exception {
        JsonNode data = new ObjectMapper().readTree(SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toFile());
        List<int[]> rows = new ArrayList<>();
        for (int i = data.size() - HELD_OUT; i < data.size(); i++) {
            JsonNode row = data.get(i);
            String text = AlpacaPrompt.render(row.path("instruction").asText(), row.path("input").asText())
                    + row.path("output").asText();
            int[] ids = tokenizer.encode(text, true);
            rows.add(Arrays.copyOf(ids, Math.min(ids.length, maxTokens)));
        }
        return rows;
    }

    /** Mean negative log-likelihood (nats) of every token after the first, closing the engine after. */
    static double meanNll(InferenceEngine engine, List<int[]> rows) {
        try (engine) {
            double total = 0;
            long count = 0;
            for (int[] tokens : rows) {
                total -= LogLikelihood.sum(engine, tokens, 1);
                count += tokens.length - 1;
            }
            return total / count;
        }
    }
}
