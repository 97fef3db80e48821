package org.instruct4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.teacher.client.ChatMessage;
import org.junit.jupiter.api.Test;

class PromptFormatTest {
    @Test
    void aQuestionBecomesAnAlpacaInstruction() {
        assertThat(PromptFormat.ALPACA.render(List.of(ChatMessage.user("Name three primary colors."))))
                .isEqualTo(AlpacaPrompt.render("Name three primary colors.", ""));
    }

    @Test
    void anAlpacaPromptIsKeptAsItIs() {
        String prompt = AlpacaPrompt.render("Translate to French.", "Good morning");
        assertThat(PromptFormat.ALPACA.render(List.of(ChatMessage.user(prompt)))).isEqualTo(prompt);
    }

    @Test
    void aSystemMessageGoesBeforeTheInstruction() {
        String prompt = AlpacaPrompt.render("Give three tips.", "");
        assertThat(PromptFormat.ALPACA.render(List.of(ChatMessage.system("Answer in Chinese."), ChatMessage.user(prompt))))
                .isEqualTo(AlpacaPrompt.render("Answer in Chinese.\n\nGive three tips.", ""));
    }

    @Test
    void earlierTurnsBecomeTheInput() {
        List<ChatMessage> conversation = List.of(ChatMessage.user("My name is Ada."),
                new ChatMessage(ChatMessage.Role.ASSISTANT, "Hello Ada."), ChatMessage.user("What is my name?"));
        assertThat(PromptFormat.ALPACA.render(conversation))
                .isEqualTo(AlpacaPrompt.render("What is my name?", "User: My name is Ada.\nAssistant: Hello Ada."));
    }

    @Test
    void rawJoinsTheMessages() {
        assertThat(PromptFormat.RAW.render(List.of(ChatMessage.system("a"), ChatMessage.user("b")))).isEqualTo("a\n\nb");
        assertThatThrownBy(() -> PromptFormat.parse("chatml")).hasMessageContaining("alpaca or raw");
    }
}
