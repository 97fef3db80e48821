package org.instruct4j.teacher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatCallTest {
    @Test
    void tokenBudgetIsThePromptEstimatePlusTheCompletionLimit() {
        ChatCall call = new ChatCall("gpt-4", List.of(ChatMessage.system("x".repeat(40)), ChatMessage.user("y".repeat(400))),
                new Sampling(1, 1, 300, List.of()));

        // (40 + 16 + 400 + 16) / 4 + 1
        assertThat(call.estimatedPromptTokens()).isEqualTo(119);
        assertThat(call.tokenBudget()).isEqualTo(419);
    }

    @Test
    void callNeedsAMessage() {
        assertThatThrownBy(() -> new ChatCall("gpt-4", List.of(), Sampling.PAPER_DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplingIsValidated() {
        assertThatThrownBy(() -> new Sampling(2.5, 1, 10, List.of())).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(1, 0, 10, List.of())).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new Sampling(1, 1, 0, List.of())).hasMessageContaining("max_tokens");
        assertThat(Sampling.PAPER_DEFAULTS).isEqualTo(new Sampling(1.0, 1.0, 512, List.of()));
        assertThat(Sampling.PAPER_DEFAULTS.withStop(List.of("###")).stop()).containsExactly("###");
    }
}
