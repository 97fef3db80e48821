package org.instruct4j.model.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three formats render a conversation and its reply so that the prompt is always where the reply begins. */
class ModelPromptTest {
    private static final Tokenizer TOKENIZER = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
    private static final List<Turn> CONVERSATION = List.of(Turn.user("Hi."), Turn.assistant("Hello!"), Turn.user("Name a color."));

    @TempDir
    Path dir;

    @Test
    void everyFormatPutsTheReplyRightAfterThePrompt() {
        ModelPrompt alpaca = ModelPrompt.of(PromptFormat.ALPACA, null, null, TOKENIZER);
        assertThat(alpaca.prompt(CONVERSATION)).isEqualTo(AlpacaPrompt.render("Name a color.", "User: Hi.\nAssistant: Hello!"));
        assertThat(alpaca.promptAndReply(CONVERSATION, "Blue.")).isEqualTo(alpaca.prompt(CONVERSATION) + "Blue.");

        ModelPrompt raw = ModelPrompt.of(PromptFormat.RAW, null, null, TOKENIZER);
        assertThat(raw.prompt(CONVERSATION)).isEqualTo("Hi.\n\nHello!\n\nName a color.");
        assertThat(raw.promptAndReply(CONVERSATION, "Blue.")).isEqualTo("Hi.\n\nHello!\n\nName a color.\n\nBlue.");
        assertThat(raw.encode("Hi.")).startsWith(TOKENIZER.bosId());

        ModelPrompt chat = ModelPrompt.chat(new ChatTemplate(ChatTemplateTest.ZEPHYR, "<s>", "</s>", "zephyr"), TOKENIZER);
        assertThat(chat.prompt(CONVERSATION)).isEqualTo("<|user|>\nHi.</s>\n<|assistant|>\nHello!</s>\n<|user|>\nName a color.</s>\n<|assistant|>\n");
        assertThat(chat.promptAndReply(CONVERSATION, "Blue.")).isEqualTo(chat.prompt(CONVERSATION) + "Blue.</s>\n");
        assertThat(chat.encode(chat.promptAndReply(CONVERSATION, "Blue."))).doesNotContain(TOKENIZER.bosId()).contains(TOKENIZER.eosId());
    }

    @Test
    void chatNeedsAChatTemplate() {
        assertThatThrownBy(() -> ModelPrompt.of(PromptFormat.CHAT, dir, null, TOKENIZER)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("has no tokenizer_config.json with a chat_template; use --prompt-format alpaca or raw");
    }

    /** A template whose prompt is not where the reply begins (it drops the generation prompt) cannot be masked. */
    @Test
    void aTemplateThatRendersTheReplyElsewhereIsRefused() {
        ModelPrompt chat = ModelPrompt.chat(new ChatTemplate("{% for m in messages %}{{ m['content'] }}|{% endfor %}"
                + "{% if add_generation_prompt %}REPLY:{% endif %}", "<s>", "</s>", "odd"), TOKENIZER);
        assertThatThrownBy(() -> chat.promptAndReply(List.of(Turn.user("Hi.")), "Hello")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot be masked");
    }
}
