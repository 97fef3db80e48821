package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeterministicResponderTest {

    @Test
    void followsTheDocumentedFormula() {
        // Hashes computed independently: sha256("gpt-4\nsystem:Be brief.\nuser:Name the capital of France.")
        assertThat(DeterministicResponder.answer("gpt-4", List.of(
                ChatRequest.Message.system("Be brief."), ChatRequest.Message.user("Name the capital of France."))))
                .isEqualTo("Answer 2e06228c75c3fc07 to: Name the capital of France.");
        assertThat(DeterministicResponder.answer("gpt-4", "日本語の質問")).isEqualTo("Answer 6e63fe564f67357a to: 日本語の質問");
    }

    @Test
    void quotesAtMostSixtyCodePointsWithoutSplittingSurrogates() {
        String prompt = "😀".repeat(70);

        String answer = DeterministicResponder.answer("gpt-4", prompt);

        assertThat(answer.substring(answer.indexOf(" to: ") + 5)).isEqualTo("😀".repeat(60));
    }

    @Test
    void usageCountsWordsAndFourTokensPerMessage() {
        List<ChatRequest.Message> messages = List.of(
                ChatRequest.Message.system("Be brief."), ChatRequest.Message.user("  Name the\ncapital  "));

        assertThat(TokenCount.promptTokens(messages)).isEqualTo(2 + 3 + 2 * 4);
        assertThat(TokenCount.completionTokens("")).isZero();
    }
}
