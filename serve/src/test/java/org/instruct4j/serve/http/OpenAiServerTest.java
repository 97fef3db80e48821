package org.instruct4j.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.generate.GenerationConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server through the official OpenAI Java SDK and raw HTTP: answers, streaming, batching, errors, limits. */
class OpenAiServerTest {
    private static ServedModel served;
    private static OpenAIClient sdk;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        served = new ServedModel(4096);
        sdk = OpenAIOkHttpClient.builder().baseUrl(served.server.baseUrl()).apiKey(ServedModel.KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        served.close();
    }

    private static ChatCompletionCreateParams.Builder question(String text, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(ServedModel.MODEL_ID).addUserMessage(text).temperature(0)
                .maxCompletionTokens(maxTokens);
    }

    private static String expected(String prompt, int maxTokens) {
        return served.model.generator().generate(prompt, GenerationConfig.greedy(maxTokens)).text();
    }

    @Test
    void chatAnswersWhatTheModelGenerates() {
        ChatCompletion reply = sdk.chat().completions().create(question("Once upon a time", 20).build());
        assertThat(reply.choices().get(0).message().content()).contains(expected("Once upon a time", 20));
        assertThat(reply.choices().get(0).finishReason().asString()).isEqualTo("length");
        assertThat(reply.usage().orElseThrow().completionTokens()).isEqualTo(20);
        assertThat(reply.model()).isEqualTo(ServedModel.MODEL_ID);
        assertThat(sdk.models().list().data()).singleElement().satisfies(m -> assertThat(m.id()).isEqualTo(ServedModel.MODEL_ID));
    }

    @Test
    void streamedChunksJoinToTheSameAnswer() {
        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        long[] usage = {-1};
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(question("Once upon a time", 20)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
                }
            }
        }
        assertThat(text.toString()).isEqualTo(expected("Once upon a time", 20));
        assertThat(chunks).isGreaterThan(5);
        assertThat(finishes).containsExactly("length");
        assertThat(usage[0]).isEqualTo(20);
    }

    @Test
    void concurrentRequestsShareBatches() throws Exception {
        List<String> prompts = List.of("Lily", "Tom", "The sun", "A big dog", "Sue", "One day", "The cat", "Ben");
        long[] before = served.engine.batchStatistics();
        List<Future<ChatCompletion>> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String p : prompts) {
                replies.add(clients.submit(() -> sdk.chat().completions().create(question(p, 16).build())));
            }
        }
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(replies.get(i).get().choices().get(0).message().content()).contains(expected(prompts.get(i), 16));
        }
        long[] after = served.engine.batchStatistics();
        assertThat(after[0] - before[0]).as("batches for 8 concurrent requests").isLessThan(8);
    }

    @Test
    void textCompletionsContinueThePromptAsIs() throws Exception {
        JsonNode reply = post("/completions", "{\"model\": \"stories260K\", \"prompt\": \"Lily\", \"temperature\": 0, \"max_tokens\": 10}",
                ServedModel.KEY, 200);
        assertThat(reply.at("/object").asText()).isEqualTo("text_completion");
        assertThat(reply.at("/choices/0/text").asText()).isEqualTo(expected("Lily", 10));
        assertThat(reply.at("/usage/total_tokens").asInt()).isEqualTo(reply.at("/usage/prompt_tokens").asInt() + 10);
    }

    @Test
    void errorsComeInOpenAisShape() throws Exception {
        String good = "{\"model\": \"stories260K\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
        assertThat(post("/chat/completions", good, null, 401).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(post("/chat/completions", good, "sk-other", 401).at("/error/message").asText()).doesNotContain(ServedModel.KEY);
        assertThat(post("/chat/completions", good.replace("stories260K", "gpt-4"), ServedModel.KEY, 404).at("/error/code").asText())
                .isEqualTo("model_not_found");
        JsonNode badN = post("/chat/completions", good.replace("}]}", "}], \"n\": 2}"), ServedModel.KEY, 400);
        assertThat(badN.at("/error/param").asText()).isEqualTo("n");
        JsonNode tooMany = post("/chat/completions", good.replace("}]}", "}], \"max_tokens\": 100000}"), ServedModel.KEY, 400);
        assertThat(tooMany.at("/error/param").asText()).isEqualTo("max_tokens");
        JsonNode badRole = post("/chat/completions", good.replace("\"user\"", "\"tool\""), ServedModel.KEY, 400);
        assertThat(badRole.at("/error/param").asText()).isEqualTo("messages[0].role");
        assertThat(post("/chat/completions", "{not json", ServedModel.KEY, 400).at("/error/type").asText())
                .isEqualTo("invalid_request_error");
        String huge = good.replace("Hi", "x".repeat(5000));
        assertThat(post("/chat/completions", huge, ServedModel.KEY, 413).at("/error/code").asText()).isEqualTo("request_too_large");
        assertThat(post("/nothing/here", good, ServedModel.KEY, 404).at("/error/code").asText()).isEqualTo("unknown_url");
    }

    @Test
    void aPromptLongerThanTheModelIsA400() throws Exception {
        String story = "Once upon a time ".repeat(150);
        JsonNode reply = post("/completions", "{\"model\": \"stories260K\", \"prompt\": \"" + story + "\", \"max_tokens\": 200}",
                ServedModel.KEY, 400);
        assertThat(reply.at("/error/code").asText()).isEqualTo("context_length_exceeded");
    }

    static JsonNode post(String path, String body, String key, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(served.server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return Json.MAPPER.readTree(response.body());
    }
}
