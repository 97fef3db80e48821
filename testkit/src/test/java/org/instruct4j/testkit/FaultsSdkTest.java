package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsSdkTest {
    private final FakeOpenAiServer server = new FakeOpenAiServer().start();
    private final OpenAIClient client = SdkClients.of(server);

    @AfterEach
    void stop() {
        server.close();
    }

    private ChatCompletion ask(String prompt) {
        return client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage(prompt).build());
    }

    @Test
    void rateLimitFaultCarriesRetryAfter() {
        server.faults().failNext(1, Fault.rateLimited(7));

        assertThatThrownBy(() -> ask("Name a prime number."))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("Retry-After")).containsExactly("7");
                    assertThat(e.headers().values("retry-after-ms")).isEmpty();
                    assertThat(e.code()).contains("rate_limit_exceeded");
                });
        assertThat(ask("Name a prime number.").choices().getFirst().message().content())
                .contains(DeterministicResponder.answer("gpt-4", "Name a prime number."));
        assertThat(server.log().timesAsked("Name a prime number.")).isEqualTo(2);
        assertThat(server.log().timesAnswered("Name a prime number.")).isEqualTo(1);
        assertThat(server.faults().injected()).isEqualTo(1);
    }

    @Test
    void serverErrorFault() {
        server.faults().failNext(2, Fault.status(500));

        assertThatThrownBy(() -> ask("a")).isInstanceOfSatisfying(InternalServerException.class,
                e -> assertThat(e.type()).contains("server_error"));
        assertThatThrownBy(() -> ask("b")).isInstanceOf(InternalServerException.class);
        assertThat(ask("c").choices()).hasSize(1);
    }

    @Test
    void hangFaultMakesTheClientTimeOut() {
        server.faults().failNext(1, Fault.hang(Duration.ofSeconds(10)));
        OpenAIClient impatient = SdkClients.of(server, Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("slow").build()))
                .isInstanceOf(OpenAIIoException.class);
        assertThat(server.log().timesAsked("slow")).isEqualTo(1);
        assertThat(server.log().timesAnswered("slow")).isZero();
    }

    @Test
    void malformedJsonFaultFailsParsing() {
        server.faults().failNext(1, Fault.malformedJson());

        assertThatThrownBy(() -> ask("broken")).isInstanceOf(OpenAIInvalidDataException.class);
        assertThat(server.log().timesAnswered("broken")).isZero();
    }

    @Test
    void truncatedFaultCutsTheAnswerWithFinishReasonLength() {
        server.faults().failNext(1, Fault.truncated());
        String full = DeterministicResponder.answer("gpt-4", "Write a long story about a lighthouse keeper.");

        ChatCompletion completion = ask("Write a long story about a lighthouse keeper.");

        completion.validate();
        String content = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(full).startsWith(content);
        assertThat(content).hasSize(full.length() / 2);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(TokenCount.words(content));
        assertThat(server.log().answers()).containsEntry("Write a long story about a lighthouse keeper.", content);
    }

    @Test
    void dropConnectionFaultIsAnIoError() {
        ask("warm up a pooled connection");
        server.faults().failNext(1, Fault.dropConnection());

        assertThatThrownBy(() -> ask("dropped")).isInstanceOf(OpenAIIoException.class);
        assertThat(server.log().timesAsked("dropped")).isEqualTo(1);
        assertThat(server.log().timesAnswered("dropped")).isZero();
    }

    @Test
    void promptRuleFailsOnlyMatchingPromptsAndOnlyKTimes() {
        server.faults().failWhenPromptContains("poem", 2, Fault.status(503));

        assertThat(ask("Write a haiku.").choices()).hasSize(1);
        assertThatThrownBy(() -> ask("Write a poem.")).isInstanceOf(InternalServerException.class);
        assertThatThrownBy(() -> ask("Another poem please.")).isInstanceOf(InternalServerException.class);
        assertThat(ask("Write a poem.").choices()).hasSize(1);
        assertThat(server.log().answerCounts()).containsOnlyKeys("Write a haiku.", "Write a poem.");
    }

    @Test
    void serverSideRpmLimitAnswers429UntilTheWindowFrees() {
        server.rpmLimit(3);

        for (int i = 0; i < 3; i++) {
            assertThat(ask("q" + i).choices()).hasSize(1);
        }
        assertThatThrownBy(() -> ask("q3")).isInstanceOfSatisfying(RateLimitException.class, e -> {
            long seconds = Long.parseLong(e.headers().values("Retry-After").getFirst());
            long millis = Long.parseLong(e.headers().values("retry-after-ms").getFirst());
            assertThat(seconds).isBetween(1L, 60L);
            assertThat(millis).isBetween(1L, 60_000L).isGreaterThan((seconds - 1) * 1000);
        });
        assertThat(server.log().timesAnswered("q3")).isZero();
    }

    @Test
    void aSeededRandomPlanReplaysTheSameFaults() {
        List<String> first = outcomesOfTwentyRequests(42);
        List<String> second = outcomesOfTwentyRequests(42);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains("ok", "RateLimitException", "InternalServerException");
    }

    private static List<String> outcomesOfTwentyRequests(long seed) {
        try (FakeOpenAiServer fresh = new FakeOpenAiServer().start()) {
            fresh.faults().seed(seed).randomly(0.3, Fault.rateLimited(1)).randomly(0.3, Fault.status(500));
            OpenAIClient sdk = SdkClients.of(fresh);
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                try {
                    sdk.chat().completions().create(
                            ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("r" + i).build());
                    outcomes.add("ok");
                } catch (RuntimeException e) {
                    outcomes.add(e.getClass().getSimpleName());
                }
            }
            return outcomes;
        }
    }
}
