package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void slowAnswersAreServedInParallel() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer().latency(Duration.ofMillis(200)).start();
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            OpenAIClient client = SdkClients.of(server);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String prompt = "Parallel question " + i;
                answers.add(clients.submit(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4").addUserMessage(prompt).build())
                        .choices().getFirst().message().content().orElseThrow()));
            }

            for (int i = 0; i < 64; i++) {
                assertThat(answers.get(i).get()).isEqualTo(DeterministicResponder.answer("gpt-4", "Parallel question " + i));
            }
            assertThat(server.log().maxConcurrency()).isGreaterThanOrEqualTo(32);
            assertThat(server.log().answerCounts()).hasSize(64).allSatisfy((prompt, count) -> assertThat(count).isEqualTo(1));
            assertThat(server.log().arrivals()).hasSize(64);
        }
    }
}
