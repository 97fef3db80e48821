package org.instruct4j.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The libtorch Llama against a plain-Java port of llama2.c's run.c, on random weights written as a .bin. */
class LlamaReferenceTest {
    private static final int[] TOKENS = {1, 17, 5, 33, 8, 8, 29, 2, 11};
    private static final Device CPU = new Device("cpu");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "shared classifier: {0}")
    @ValueSource(booleans = {true, false})
    void logitsOfAFullSequenceMatchTheReference(boolean shared) throws Exception {
        ReferenceLlama2c reference = new ReferenceLlama2c(48, 64, 2, 6, 2, 40, 32, shared, 42);
        Path file = dir.resolve("random.bin");
        reference.write(file);
        Llama model = Llama2cCheckpoint.load(file, Precision.FP32, CPU);

        try (PointerScope scope = new PointerScope()) {
            float[] logits = Tensors.toFloats(model.forward(ids(TOKENS), positions(0, TOKENS.length), null, null, false));
            for (int t = 0; t < TOKENS.length; t++) {
                float[] expected = reference.forward(TOKENS[t], t);
                assertClose(logits, t * 40, expected, "position " + t);
            }
        }
    }

    @Test
    void decodingWithTheKvCacheMatchesTheReference() throws Exception {
        ReferenceLlama2c reference = new ReferenceLlama2c(48, 64, 2, 6, 2, 40, 32, false, 7);
        Path file = dir.resolve("random.bin");
        reference.write(file);
        Llama model = Llama2cCheckpoint.load(file, Precision.FP32, CPU);
        float[][] expected = new float[TOKENS.length][];
        for (int t = 0; t < TOKENS.length; t++) {
            expected[t] = reference.forward(TOKENS[t], t);
        }

        try (KvCache cache = model.newCache(1, 16)) {
            int prefill = 4;
            try (PointerScope scope = new PointerScope()) {
                int[] prompt = java.util.Arrays.copyOf(TOKENS, prefill);
                float[] logits = Tensors.toFloats(model.forward(ids(prompt), positions(0, prefill), null, cache, true));
                assertClose(logits, 0, expected[prefill - 1], "prefill");
            }
            for (int t = prefill; t < TOKENS.length; t++) {
                try (PointerScope scope = new PointerScope()) {
                    float[] logits = Tensors.toFloats(model.forward(ids(new int[] {TOKENS[t]}), positions(t, 1), null, cache, true));
                    assertClose(logits, 0, expected[t], "decode step at position " + t);
                }
            }
            assertThat(cache.length()).isEqualTo(TOKENS.length);
        }
    }

    @Test
    void writingTheCheckpointBackGivesTheSameBytes() throws Exception {
        ReferenceLlama2c reference = new ReferenceLlama2c(48, 64, 2, 6, 2, 40, 32, false, 9);
        Path original = dir.resolve("original.bin");
        reference.write(original);

        Path copy = dir.resolve("copy.bin");
        Llama2cCheckpoint.write(Llama2cCheckpoint.load(original, Precision.FP32, CPU), copy);

        assertThat(java.nio.file.Files.readAllBytes(copy)).isEqualTo(java.nio.file.Files.readAllBytes(original));
    }

    static Tensor ids(int[] tokens) {
        long[] values = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            values[i] = tokens[i];
        }
        return Tensors.longs(values, CPU, 1, tokens.length);
    }

    static Tensor positions(int start, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = start + i;
        }
        return Tensors.longs(values, CPU, 1, count);
    }

    static void assertClose(float[] actual, int offset, float[] expected, String where) {
        for (int i = 0; i < expected.length; i++) {
            float a = actual[offset + i];
            assertThat(Math.abs(a - expected[i]))
                    .as("%s, logit %d: libtorch %s vs reference %s", where, i, a, expected[i])
                    .isLessThanOrEqualTo(1e-4f * Math.max(1f, Math.abs(expected[i])));
        }
    }
}
