package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.KvSpan;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU engine with a bfloat16 KV cache, on the real stories260K: logits close to a float32 cache's and not equal
 * to them (the keys and values are rounded), rows of a batch as they are alone, and keys and values copied out of a row
 * and into another (the prefix cache's path) giving the same logits bit for bit.
 */
class Bf16KvCacheTest {
    private static final InferenceOptions JAVA = InferenceOptions.defaults().withEngine(EngineChoice.JAVA);
    private static InferenceModel fp32;
    private static InferenceModel bf16;

    @BeforeAll
    static void load() {
        fp32 = open(JAVA);
        bf16 = open(JAVA.withKvCache(Precision.BF16));
    }

    private static InferenceModel open(InferenceOptions options) {
        return ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), options);
    }

    @AfterAll
    static void close() {
        fp32.close();
        bf16.close();
    }

    private static float[] scored(InferenceEngine engine, int[] tokens) {
        float[] logits = new float[tokens.length * engine.vocabSize()];
        try (Sequence row = engine.newSequence(tokens.length)) {
            engine.forward(new Batch().addScored(row, tokens, 0, tokens.length, logits));
        }
        return logits;
    }

    @Test
    void logitsAreCloseToAFloat32CacheButRoundedThroughBfloat16() {
        int[] prompt = fp32.tokenizer().encode("Once upon a time, there was a little dog named Max. Max liked to run in"
                + " the park with his friend, a big brown bear", true);
        float[] exact = scored(fp32.engine(), prompt);
        float[] rounded = scored(bf16.engine(), prompt);

        double largest = 0, error = 0;
        for (int i = 0; i < exact.length; i++) {
            largest = Math.max(largest, Math.abs(exact[i]));
            error = Math.max(error, Math.abs(exact[i] - rounded[i]));
        }
        assertThat(error).as("the keys and values are rounded").isGreaterThan(0);
        assertThat(error / largest).as("largest error %.5f against logits up to %.2f", error, largest).isLessThan(0.02);
        assertThat(bf16.engine().description()).contains("bf16 KV cache");
    }

    @Test
    void rowsOfABatchDecodeAsTheyDoAlone() {
        Generator generator = new Generator(bf16.engine(), bf16.tokenizer());
        List<String> prompts = List.of("Once upon a time", "Lily", "The little dog was very happy because");
        GenerationConfig config = GenerationConfig.greedy(40);

        List<Generation> batched = generator.generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(batched.get(i).tokenIds()).as("prompt %d", i)
                    .containsExactly(generator.generate(prompts.get(i), config).tokenIds());
        }
    }

    @Test
    void keysAndValuesCopiedIntoAnotherRowGiveTheSameLogits() {
        InferenceEngine engine = bf16.engine();
        int[] tokens = bf16.tokenizer().encode("Once upon a time, there was a little girl named Lily who loved to sing", true);
        int prefix = tokens.length - 4; // over the block boundary of no row: the copy goes position by position anyway
        float[] whole = scored(engine, tokens);
        float[] resumed = new float[(tokens.length - prefix) * engine.vocabSize()];
        try (Sequence source = engine.newSequence(tokens.length); Sequence row = engine.newSequence(tokens.length)) {
            engine.forward(new Batch().add(source, tokens, 0, prefix, false));
            KvSpan span = engine.copyKv(source, 0, prefix);
            engine.appendKv(row, span, prefix);
            engine.forward(new Batch().addScored(row, tokens, prefix, tokens.length, resumed));
        }
        float[] tail = java.util.Arrays.copyOfRange(whole, prefix * engine.vocabSize(), whole.length);
        assertThat(resumed).containsExactly(tail);
    }

    @Test
    void libtorchKeepsItsOwnCacheAndSaysSo() {
        assertThatThrownBy(() -> open(InferenceOptions.defaults().withEngine(EngineChoice.TORCH).withKvCache(Precision.BF16)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--kv-cache-dtype bf16 needs the java engine");
    }
}
