package org.instruct4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer.json through DJL's Rust tokenizers, with special tokens and chat template from tokenizer_config.json. */
class HfTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void encodesDecodesAndResolvesSpecialTokens() throws Exception {
        String special = "\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true";
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version":"1.0","truncation":null,"padding":null,
                 "added_tokens":[{"id":0,"content":"<s>",%1$s},{"id":1,"content":"</s>",%1$s}],
                 "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
                 "model":{"type":"WordLevel","unk_token":"<unk>",
                          "vocab":{"<s>":0,"</s>":1,"<unk>":2,"hello":3,"world":4,"again":5}}}
                """.formatted(special));
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token":"<s>","eos_token":{"content":"</s>","special":true},
                 "chat_template":"{% for m in messages %}{{ m['content'] }}{% endfor %}"}
                """);

        Tokenizer tokenizer = Tokenizers.load(dir);

        assertThat(tokenizer).isInstanceOf(HfTokenizer.class);
        assertThat(tokenizer.encode("hello world again", true)).containsExactly(0, 3, 4, 5);
        assertThat(tokenizer.encode("world hello", false)).containsExactly(4, 3);
        assertThat(tokenizer.encode("hello bonjour", false)).containsExactly(3, 2);
        assertThat(tokenizer.decode(new int[] {0, 3, 4, 1})).isEqualTo("hello world");
        assertThat(tokenizer.bosId()).isZero();
        assertThat(tokenizer.eosId()).isEqualTo(1);
        assertThat(tokenizer.padId()).isEqualTo(1);
        assertThat(tokenizer.vocabSize()).isEqualTo(6);
        assertThat(tokenizer.tokenBytes(3)).isEqualTo("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(tokenizer.tokenBytes(1)).isEmpty();
        assertThat(Tokenizers.chatTemplate(dir)).contains("{% for m in messages %}{{ m['content'] }}{% endfor %}");
    }

    @Test
    void aDirectoryWithoutTokenizerIsAnErrorNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining(dir.toString()).hasMessageContaining("tokenizer.json");
    }

    @Test
    void tokenBytesFollowTheDecoder() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, Integer> ids = java.util.Map.of("\u0120hello", 0, "\u00c3\u00a9", 1, "<|end|>", 2);
        byte[][] byteLevel = HfTokenBytes.read(json.readTree("""
                {"decoder": {"type": "ByteLevel"}, "added_tokens": [{"id": 2, "content": "<|end|>", "special": true}]}
                """), ids, 3);
        assertThat(new String(byteLevel[0], java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" hello");
        assertThat(new String(byteLevel[1], java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\u00e9");
        assertThat(byteLevel[2]).isEmpty();

        byte[][] pieces = HfTokenBytes.read(json.readTree("""
                {"decoder": {"type": "Sequence", "decoders": [{"type": "Replace"}, {"type": "ByteFallback"}]}}
                """), java.util.Map.of("\u2581hello", 0, "<0x0A>", 1), 2);
        assertThat(new String(pieces[0], java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" hello");
        assertThat(pieces[1]).containsExactly(0x0A);
    }
}
