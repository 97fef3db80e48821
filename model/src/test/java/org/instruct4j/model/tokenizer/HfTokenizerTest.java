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
        assertThat(Tokenizers.chatTemplate(dir)).contains("{% for m in messages %}{{ m['content'] }}{% endfor %}");
    }

    @Test
    void aDirectoryWithoutTokenizerIsAnErrorNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining(dir.toString()).hasMessageContaining("tokenizer.json");
    }
}
