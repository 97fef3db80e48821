package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsSdkTest {
    private static final String PROMPT = "Give three tips for staying healthy.";
    private final FakeOpenAiServer server = new FakeOpenAiServer().start();
    private final OpenAIClient client = SdkClients.of(server);

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatCompletionCreateParams.Builder healthTips() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4")
                .addSystemMessage("You are a helpful assistant.")
                .addUserMessage(PROMPT);
    }

    @Test
    void answersDeterministicallyWithConsistentUsage() {
        ChatCompletion completion = client.chat().completions()
                .create(healthTips().temperature(1.0).topP(1.0).maxTokens(512).build());

        completion.validate();
        List<ChatRequest.Message> messages = List.of(
                ChatRequest.Message.system("You are a helpful assistant."), ChatRequest.Message.user(PROMPT));
        String expected = DeterministicResponder.answer("gpt-4", messages);
        assertThat(completion.model()).isEqualTo("gpt-4");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains(expected);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(expected).endsWith(" to: " + PROMPT);
        // 5 + 6 words, 4 tokens of overhead per message
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(5 + 6 + 8);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(TokenCount.words(expected));
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(19 + TokenCount.words(expected));

        ChatRequest seen = server.log().requests().getFirst();
        assertThat(seen.messages()).isEqualTo(messages);
        assertThat(seen.temperature()).isEqualTo(1.0);
        assertThat(seen.topP()).isEqualTo(1.0);
        assertThat(seen.maxTokens()).isEqualTo(512);
        assertThat(server.log().answers()).containsEntry(PROMPT, expected);
        assertThat(server.log().timesAnswered(PROMPT)).isEqualTo(1);
    }

    @Test
    void theAnswerDependsOnModelAndEveryMessage() {
        String gpt4 = content(client.chat().completions().create(healthTips().build()));
        String mini = content(client.chat().completions().create(healthTips().model("gpt-4o-mini").build()));
        String noSystem = content(client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage(PROMPT).build()));

        assertThat(List.of(gpt4, mini, noSystem)).doesNotHaveDuplicates();
        assertThat(noSystem).isEqualTo(DeterministicResponder.answer("gpt-4", PROMPT));
        assertThat(server.log().timesAnswered(PROMPT)).isEqualTo(3);
        assertThat(server.log().answeredMoreThanOnce()).containsExactly(PROMPT);
    }

    @Test
    void aCustomResponderAnswersWithItsOwnContent() {
        server.responder(Responder.withContent(request -> "8\nA clear, correct answer to: " + request.lastUserMessage()));

        ChatCompletion completion = client.chat().completions().create(healthTips().n(2).build());

        completion.validate();
        assertThat(completion.choices()).extracting(c -> c.message().content().orElseThrow())
                .containsExactly("8\nA clear, correct answer to: " + PROMPT, "8\nA clear, correct answer to: " + PROMPT);
        // two choices of 12 words each
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(2 * 12);
    }

    @Test
    void listsAndRetrievesModels() {
        server.models("gpt-4", "gpt-4o-mini");

        List<Model> models = client.models().list().data();

        models.forEach(Model::validate);
        assertThat(models).extracting(Model::id).containsExactly("gpt-4", "gpt-4o-mini");
        assertThat(client.models().retrieve("gpt-4o-mini").ownedBy()).isEqualTo("openai");
        assertThatThrownBy(() -> client.models().retrieve("gpt-5")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void rejectsAWrongKeyWithoutEchoingIt() {
        server.apiKey(SdkClients.KEY);
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder()
                .baseUrl(server.baseUrl()).apiKey("sk-wrong-secret").maxRetries(0).build();

        assertThatThrownBy(() -> wrongKey.chat().completions().create(healthTips().build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).contains("invalid_api_key");
                    assertThat(e.getMessage()).doesNotContain("sk-wrong-secret");
                    assertThat(e.body().toString()).doesNotContain("sk-wrong-secret");
                });
        assertThat(content(client.chat().completions().create(healthTips().build()))).startsWith("Answer ");
        assertThat(server.log().authorizationHeaders())
                .containsExactlyInAnyOrder("Bearer sk-wrong-secret", "Bearer " + SdkClients.KEY);
        assertThat(server.log().timesAsked(PROMPT)).isEqualTo(1);
    }

    @Test
    void rejectsAMissingKey() throws Exception {
        server.apiKey(SdkClients.KEY);

        HttpResponse<String> response = post("/chat/completions", "{}", false);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(server.log().authorizationHeaders()).containsExactly("");
    }

    @Test
    void badRequestsGetTheOpenAiErrorShapeNamingTheParameter() throws Exception {
        HttpResponse<String> noMessages = post("/chat/completions", "{\"model\": \"gpt-4\"}", true);
        HttpResponse<String> badTemperature = post("/chat/completions",
                "{\"model\": \"gpt-4\", \"temperature\": 3, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", true);
        HttpResponse<String> notJson = post("/chat/completions", "{\"model\": ", true);
        HttpResponse<String> unknownPath = post("/chat/complete", "{}", true);

        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(error(noMessages).path("param").asText()).isEqualTo("messages");
        assertThat(error(noMessages).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(badTemperature).path("param").asText()).isEqualTo("temperature");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(error(notJson).path("message").asText()).contains("could not parse the JSON body");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(error(unknownPath).path("message").asText()).isEqualTo("Invalid URL (POST /v1/chat/complete)");
        assertThat(server.log().requests()).isEmpty();
    }

    private HttpResponse<String> post(String path, String body, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withKey) {
            request.header("Authorization", "Bearer " + SdkClients.KEY);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    private static String content(ChatCompletion completion) {
        return completion.choices().getFirst().message().content().orElseThrow();
    }
}
