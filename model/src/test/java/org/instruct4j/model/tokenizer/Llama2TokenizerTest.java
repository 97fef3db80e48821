package org.instruct4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Llama-2 vocabulary, from llama2.c's tokenizer.bin and from SentencePiece's tokenizer.model. */
class Llama2TokenizerTest {

    static Stream<Arguments> tokenizers() {
        return Stream.of(
                Arguments.of("tokenizer.bin", (Function<Path, Tokenizer>) Llama2cTokenizerFile::read),
                Arguments.of("tokenizer.model", (Function<Path, Tokenizer>) SentencePieceModelFile::read));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void reproducesTheReferenceVectorsAndDecodesBack(String file, Function<Path, Tokenizer> reader) throws Exception {
        Tokenizer tokenizer = reader.apply(SharedData.path("models/llama2_tokenizer/" + file));
        JsonNode vectors = new ObjectMapper()
                .readTree(SharedData.path("models/llama2_tokenizer/encode_test_vectors.json").toFile()).get("vectors");

        assertThat(vectors).hasSize(5);
        for (JsonNode vector : vectors) {
            String text = vector.get("text").asText();
            int[] expected = new int[vector.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = vector.get("ids").get(i).asInt();
            }
            int[] ids = tokenizer.encode(text, true);
            assertThat(ids).as("encode %s", text).containsExactly(expected);
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
        assertThat(tokenizer.vocabSize()).isEqualTo(32000);
        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void unknownCharactersFallBackToBytes(String file, Function<Path, Tokenizer> reader) {
        Tokenizer tokenizer = reader.apply(SharedData.path("models/llama2_tokenizer/" + file));
        String text = "emoji \uD83E\uDD99 llama";

        int[] ids = tokenizer.encode(text, false);

        assertThat(ids).contains(0xF0 + 3, 0x9F + 3);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void tokenBytesJoinToTheTextWithItsDummyPrefix(String file, Function<Path, Tokenizer> reader) {
        Tokenizer tokenizer = reader.apply(SharedData.path("models/llama2_tokenizer/" + file));
        String text = "emoji \uD83E\uDD99 llama, \"quoted\" {x: 1}";
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int id : tokenizer.encode(text, true)) {
            joined.writeBytes(tokenizer.tokenBytes(id));
        }
        assertThat(joined.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" " + text);
        assertThat(tokenizer.tokenBytes(tokenizer.eosId())).isEmpty();
    }
}
