package org.instruct4j.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Llama2cTokenizerFile;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real trained stories260K model reproduces llama2.c's greedy output token for token, on both engines. */
class Stories260KTest {
    static Llama model;
    static Tokenizer tokenizer;
    static JsonNode reference;

    @BeforeAll
    static void load() throws Exception {
        model = Llama2cCheckpoint.load(SharedData.path("models/stories260K/stories260K.bin"), Precision.FP32, new Device("cpu"));
        tokenizer = Llama2cTokenizerFile.read(SharedData.path("models/stories260K/tok512.bin"));
        reference = new ObjectMapper().readTree(SharedData.path("models/stories260K/greedy_reference.json").toFile());
    }

    static int[] referenceIds() {
        JsonNode ids = reference.get("token_ids");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i).asInt();
        }
        return out;
    }

    @Test
    void greedyDecodingFromBosReproducesLlama2c() {
        Generation generation = new Generator(model, tokenizer)
                .generateFromIds(new int[][] {{tokenizer.bosId()}}, GenerationConfig.greedy(200)).get(0);

        assertThat(generation.tokenIds()).containsExactly(referenceIds());
        assertThat(generation.text()).isEqualTo(reference.get("expected_text").asText());
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
    }

    @Test
    void greedyDecodingOnTheCpuEngineReproducesLlama2cToo() {
        Llama2cCheckpoint.Mapped mapped = Llama2cCheckpoint.map(SharedData.path("models/stories260K/stories260K.bin"));
        try (CpuEngine engine = CpuEngine.open(mapped.config(), mapped.tensors(), Precision.FP32, Quantization.NONE)) {
            Generation generation = new Generator(engine, tokenizer)
                    .generateFromIds(new int[][] {{tokenizer.bosId()}}, GenerationConfig.greedy(200)).get(0);

            assertThat(generation.tokenIds()).containsExactly(referenceIds());
            assertThat(generation.text()).isEqualTo(reference.get("expected_text").asText());
        }
    }

    @Test
    void batchedPromptsOfDifferentLengthsDecodeAsTheyDoAlone() {
        Generator generator = new Generator(model, tokenizer);
        List<String> prompts = List.of("Once upon a time", "Lily", "The little dog was very happy because");
        GenerationConfig config = GenerationConfig.greedy(40);

        List<Generation> batched = generator.generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            Generation alone = generator.generate(prompts.get(i), config);
            assertThat(batched.get(i).tokenIds()).as("prompt %d", i).containsExactly(alone.tokenIds());
            assertThat(batched.get(i).text()).isEqualTo(alone.text());
        }
        assertThat(batched.get(0).tokenIds()).isNotEqualTo(batched.get(1).tokenIds());
    }

    @Test
    void samplingWithASeedIsReproducibleAndStopStringsCut() {
        Generator generator = new Generator(model, tokenizer);
        GenerationConfig sampling = GenerationConfig.greedy(60).withSampling(1.0, 0.9, 40, 133742);

        Generation first = generator.generate("Once upon a time", sampling);
        Generation again = generator.generate("Once upon a time", sampling);
        Generation otherSeed = generator.generate("Once upon a time", sampling.withSampling(1.0, 0.9, 40, 1));
        assertThat(again.tokenIds()).containsExactly(first.tokenIds());
        assertThat(otherSeed.tokenIds()).isNotEqualTo(first.tokenIds());

        Generation stopped = generator.generate("Once upon a time", GenerationConfig.greedy(200).withStopStrings(List.of(".")));
        assertThat(stopped.finishReason()).isEqualTo(Generation.FinishReason.STOP_STRING);
        assertThat(stopped.text()).isEqualTo(", there was a little girl named Lily");
    }

    @Test
    void streamedPiecesJoinToTheFinalTextOfEveryRow() {
        Generator generator = new Generator(model, tokenizer);
        List<String> prompts = List.of("Once upon a time", "Lily");
        int[][] ids = prompts.stream().map(p -> tokenizer.encode(p, true)).toArray(int[][]::new);
        GenerationConfig config = GenerationConfig.greedy(80).withStopStrings(List.of("Lily was"));
        StringBuilder[] streamed = {new StringBuilder(), new StringBuilder()};
        int[] pieces = new int[2];

        List<Generation> results = generator.generateFromIds(ids, config, (row, piece) -> {
            streamed[row].append(piece);
            pieces[row]++;
        });

        for (int row = 0; row < 2; row++) {
            assertThat(streamed[row].toString()).isEqualTo(results.get(row).text());
            assertThat(pieces[row]).as("row %d arrives in many pieces", row).isGreaterThan(5);
            assertThat(streamed[row].toString()).doesNotContain("Lily was");
        }
    }
}
