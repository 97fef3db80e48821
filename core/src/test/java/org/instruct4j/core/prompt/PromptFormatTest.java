package org.instruct4j.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFormatTest {
    @TempDir
    Path dir;

    @Test
    void aTrainedModelRecordsItsFormatAndIsPromptedWithIt() throws IOException {
        assertThat(PromptFormat.defaultFor(dir)).isEqualTo(PromptFormat.ALPACA);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{{ messages[0]['content'] }}\"}");
        assertThat(PromptFormat.defaultFor(dir)).as("a model with a chat template").isEqualTo(PromptFormat.CHAT);
        PromptFormat.RAW.recordIn(dir);
        assertThat(PromptFormat.recordedIn(dir)).contains(PromptFormat.RAW);
        assertThat(PromptFormat.defaultFor(dir)).as("the recorded format wins").isEqualTo(PromptFormat.RAW);
        assertThat(PromptFormat.defaultFor(dir.resolve("model.bin"))).isEqualTo(PromptFormat.ALPACA);
        assertThat(PromptFormat.parse(" Chat ")).isEqualTo(PromptFormat.CHAT);
        assertThatThrownBy(() -> PromptFormat.parse("chatml")).isInstanceOf(BadInputException.class)
                .hasMessage("unknown --prompt-format 'chatml'; expected alpaca, chat or raw");
    }

    @Test
    void anInstructionIsTheAlpacaPromptOrTheTextWithItsInput() {
        assertThat(PromptFormat.ALPACA.instruction("Translate.", "Hola").content()).isEqualTo(AlpacaPrompt.render("Translate.", "Hola"));
        assertThat(PromptFormat.CHAT.instruction("Translate.", "Hola")).isEqualTo(Turn.user("Translate.\n\nHola"));
        assertThat(PromptFormat.RAW.instruction("Translate.", "")).isEqualTo(Turn.user("Translate."));
    }

    /** Chat messages for a model tuned on single Alpaca turns: system first, earlier turns as the input. */
    @Test
    void aConversationBecomesOneAlpacaPrompt() {
        String prompt = AlpacaPrompt.render("Give three tips.", "");
        assertThat(AlpacaPrompt.renderConversation(List.of(Turn.user(prompt)))).isEqualTo(prompt);
        assertThat(AlpacaPrompt.renderConversation(List.of(Turn.system("Answer in Chinese."), Turn.user(prompt))))
                .isEqualTo(AlpacaPrompt.render("Answer in Chinese.\n\nGive three tips.", ""));
        assertThat(AlpacaPrompt.renderConversation(List.of(Turn.user("My name is Ada."), Turn.assistant("Hello Ada."),
                Turn.user("What is my name?")))).isEqualTo(AlpacaPrompt.render("What is my name?", "User: My name is Ada.\nAssistant: Hello Ada."));
        assertThatThrownBy(() -> AlpacaPrompt.renderConversation(List.of(Turn.system("x")))).hasMessageContaining("no user message");
    }
}
