package org.instruct4j.teacher.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.Sampling;
import org.junit.jupiter.api.Test;

/** Prompt tokens counted with OpenAI's own encodings, plus OpenAI's per-message overhead. */
class TokenCounterTest {
    private final TokenCounter tokens = new TokenCounter();

    private static ChatCall call(String model, String... user) {
        return new ChatCall(model, List.of(user).stream().map(ChatMessage::user).toList(), Sampling.PAPER_DEFAULTS);
    }

    @Test
    void countsWithTheModelsEncoding() {
        // tiktoken: cl100k_base and o200k_base both encode "Hello, world!" as 4 tokens ("Hello", ",", " world", "!")
        assertThat(tokens.promptTokens(call("gpt-4", "Hello, world!"))).isEqualTo(4 + 3 + 3);
        assertThat(tokens.promptTokens(call("gpt-4o-mini-2024-07-18", "Hello, world!"))).isEqualTo(4 + 3 + 3);
        assertThat(tokens.promptTokens(call("gpt-3.5-turbo", "Hello, world!", "Hello, world!"))).isEqualTo(2 * (4 + 3) + 3);
        assertThat(tokens.exact("gpt-4.1-nano")).isTrue();
    }

    @Test
    void chineseTextIsAboutOneTokenPerCharacterNotFourCharactersPerToken() {
        String chinese = "请用三句话向一个好奇的十二岁孩子解释复利。".repeat(10);
        long counted = tokens.promptTokens(call("gpt-4", chinese));
        assertThat(counted).isGreaterThan(chinese.length() / 2);
        assertThat(call("gpt-4", chinese).estimatedPromptTokens()).isLessThan(counted / 2);
    }

    @Test
    void otherModelsAreEstimatedFromTheirCharacters() {
        ChatCall local = call("stories260K", "x".repeat(400));
        assertThat(tokens.exact("stories260K")).isFalse();
        assertThat(tokens.promptTokens(local)).isEqualTo(local.estimatedPromptTokens());
    }
}
