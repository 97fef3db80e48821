package org.instruct4j.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.junit.jupiter.api.Test;

/**
 * Overload end to end: instruct4j's own teacher client (the OpenAI SDK under {@link TeacherCaller}, with the retry
 * policy every generate command uses) sends more requests at once than a server with one row and a queue of one
 * takes; the 429s it gets carry Retry-After, it backs off, and every call completes with the model's answer.
 */
class TeacherBackoffTest {
    @Test
    void theTeacherClientBacksOffOnA429AndEveryCallCompletes() throws Exception {
        try (ServedModel busy = new ServedModel(1 << 20, SchedulerOptions.defaults().withMaxRows(1).withMaxQueue(1));
                OpenAiChatClient client = new OpenAiChatClient(busy.server.baseUrl(), ApiKey.of("SERVE_TEST_KEY", ServedModel.KEY),
                        Duration.ofSeconds(60))) {
            TeacherCaller caller = new TeacherCaller(client, new JobOptions(5, 0, 0, RetryPolicy.DEFAULT, false, true),
                    new UsageMeter(PriceTable.free(), 1));
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                prompts.add("Once upon a time there was a " + List.of("cat", "dog", "bird", "girl").get(i % 4) + " number " + i);
            }
            List<Future<TeacherCaller.Outcome<String>>> outcomes = new ArrayList<>();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String prompt : prompts) {
                    ChatCall call = new ChatCall(ServedModel.MODEL_ID, List.of(ChatMessage.user(prompt)), new Sampling(0, 1, 16, List.of()));
                    outcomes.add(callers.submit(() -> caller.call(call, reply -> reply.content())));
                }
            }
            for (int i = 0; i < prompts.size(); i++) {
                TeacherCaller.Outcome<String> outcome = outcomes.get(i).get();
                assertThat(outcome).as(prompts.get(i)).isInstanceOf(TeacherCaller.Outcome.Success.class);
                String expected = busy.model.generator().generate(prompts.get(i), GenerationConfig.greedy(16)).text();
                assertThat(((TeacherCaller.Outcome.Success<String>) outcome).value()).isEqualTo(expected);
            }
            assertThat(caller.retries()).as("retries after 429").isPositive();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + busy.server.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics.lines().filter(l -> l.startsWith("instruct4j_requests_rejected_total "))
                    .mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).sum()).isPositive();
        }
    }
}
