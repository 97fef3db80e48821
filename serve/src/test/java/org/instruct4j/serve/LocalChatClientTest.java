package org.instruct4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real stories260K model as a chat endpoint: concurrent calls share steps and are answered as if alone. */
class LocalChatClientTest {
    private static final Sampling GREEDY = new Sampling(0, 1, 30, List.of());
    private static InferenceModel model;
    private static LocalModel local;
    private static LocalChatClient client;

    @BeforeAll
    static void load() {
        model = ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), InferenceOptions.defaults());
        local = LocalModel.start(model, SchedulerOptions.defaults().withMaxRows(8));
        client = new LocalChatClient(local, ModelPrompt.of(PromptFormat.RAW, model), "stories260K", 0);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static ChatCall call(String text, Sampling sampling) {
        return new ChatCall("ignored", List.of(ChatMessage.user(text)), sampling);
    }

    @Test
    void answersWhatTheModelGeneratesGreedily() throws Exception {
        ChatReply reply = client.complete(call("Once upon a time", GREEDY));
        String expected = model.generator().generate("Once upon a time", GenerationConfig.greedy(30)).text().strip();
        assertThat(reply.content()).isEqualTo(expected);
        assertThat(reply.truncated()).isTrue();
        assertThat(reply.completionTokens()).isEqualTo(30);
        assertThat(reply.promptTokens()).isEqualTo(model.tokenizer().encode("Once upon a time", true).length);
        assertThat(reply.model()).isEqualTo("stories260K");
    }

    @Test
    void concurrentCallsShareStepsAndEachGetsItsOwnAnswer() throws Exception {
        List<String> prompts = List.of("Lily", "Tom had a dog", "The sun", "Once upon a time there was", "A big bird",
                "Sue and Ben", "The cat", "One day");
        List<String> alone = new ArrayList<>();
        for (String p : prompts) {
            alone.add(client.complete(call(p, GREEDY)).content());
        }
        List<Future<ChatReply>> replies = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String p : prompts) {
                replies.add(callers.submit(() -> client.complete(call(p, GREEDY))));
            }
        }
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(replies.get(i).get().content()).as(prompts.get(i)).isEqualTo(alone.get(i));
        }
        assertThat(((Scheduler) local.queue()).stats().widestStep()).as("rows in one step").isGreaterThan(1);
    }

    @Test
    void stopStringsAndSeededSamplingWork() throws Exception {
        ChatReply stopped = client.complete(call("Once upon a time", new Sampling(0, 1, 100, List.of("."))));
        assertThat(stopped.content()).doesNotContain(".").isNotEmpty();
        assertThat(stopped.truncated()).isFalse();
        Sampling sampled = new Sampling(1.0, 0.9, 30, List.of());
        assertThat(client.complete(call("Lily", sampled)).content()).isEqualTo(client.complete(call("Lily", sampled)).content());
    }

    @Test
    void aPromptBeyondTheModelsPositionsIsRejected() {
        String huge = "Once upon a time ".repeat(400);
        assertThatThrownBy(() -> client.complete(call(huge, GREEDY)))
                .isInstanceOf(TeacherException.class)
                .satisfies(e -> assertThat(((TeacherException) e).kind()).isEqualTo(TeacherException.Kind.REJECTED))
                .hasMessageContaining("positions");
    }
}
