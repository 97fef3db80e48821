package org.instruct4j.model.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {
    /** TinyLlama-1.1B-Chat-v1.0's (Zephyr's) template, as in its tokenizer_config.json. */
    static final String ZEPHYR = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
            + "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
            + "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
            + "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    @TempDir
    Path dir;

    @Test
    void rendersAHuggingFaceTemplateAndEncodesItsSpecialTokens() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"chat_template\": "
                + org.instruct4j.core.io.Json.line(ZEPHYR) + "}");
        ChatTemplate template = ChatTemplate.of(dir).orElseThrow();
        List<Turn> conversation = List.of(Turn.user("Name a color."), Turn.assistant("Blue."));

        assertThat(template.render(conversation.subList(0, 1), true)).isEqualTo("<|user|>\nName a color.</s>\n<|assistant|>\n");
        String full = template.render(conversation, false);
        assertThat(full).isEqualTo("<|user|>\nName a color.</s>\n<|assistant|>\nBlue.</s>\n");

        Tokenizer tokenizer = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        int[] ids = template.encode(full, tokenizer);
        assertThat(ids).containsSubsequence(tokenizer.eosId());
        assertThat(java.util.Arrays.stream(ids).filter(id -> id == tokenizer.eosId()).count()).isEqualTo(2);
        assertThat(tokenizer.decode(ids)).contains("Name a color.").contains("Blue.").doesNotContain("</s>");
    }

    @Test
    void raiseExceptionInATemplateIsAnError() {
        ChatTemplate template = new ChatTemplate("{{ raise_exception('Conversation roles must alternate') }}", "<s>", "</s>", "test");
        assertThatThrownBy(() -> template.render(List.of(Turn.user("hi")), true))
                .isInstanceOf(BadInputException.class).hasMessageContaining("roles must alternate");
    }
}
