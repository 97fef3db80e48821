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
        served = new ServedModel(4096, org.instruct4j.serve.schedule.SchedulerOptions.defaults().withMaxRows(8));
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
        List<Future<ChatCompletion>> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String p : prompts) {
                replies.add(clients.submit(() -> sdk.chat().completions().create(question(p, 16).build())));
            }
        }
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(replies.get(i).get().choices().get(0).message().content()).contains(expected(prompts.get(i), 16));
        }
        assertThat(served.scheduler.stats().widestStep()).as("rows in one step").isGreaterThan(1);
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
        JsonNode badN = post("/chat/completions", good.replace("}]}", "}], \"n\": 17}"), ServedModel.KEY, 400);
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

    @Test
    void requestsWithDifferentSettingsServedTogetherGetWhatTheyGetAlone() throws Exception {
        List<String> bodies = List.of(
                "{\"model\": \"stories260K\", \"prompt\": \"Lily\", \"temperature\": 0, \"max_tokens\": 30}",
                "{\"model\": \"stories260K\", \"prompt\": \"Tom\", \"temperature\": 0.9, \"top_p\": 0.8, \"seed\": 4, \"max_tokens\": 50}",
                "{\"model\": \"stories260K\", \"prompt\": \"The sun\", \"temperature\": 1.2, \"top_k\": 10, \"seed\": 9, \"max_tokens\": 20, \"stop\": \".\"}",
                "{\"model\": \"stories260K\", \"prompt\": \"Once\", \"temperature\": 0.7, \"seed\": 1, \"n\": 3, \"max_tokens\": 40}",
                "{\"model\": \"stories260K\", \"prompt\": \"A dog\", \"temperature\": 0.5, \"repetition_penalty\": 1.3, \"seed\": 2, \"max_tokens\": 64}");
        List<JsonNode> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(post("/completions", body, ServedModel.KEY, 200).get("choices"));
        }
        var before = served.scheduler.stats();
        List<Future<JsonNode>> together = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String body : bodies) {
                together.add(clients.submit(() -> post("/completions", body, ServedModel.KEY, 200).get("choices")));
            }
        }
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(together.get(i).get()).as(bodies.get(i)).isEqualTo(alone.get(i));
        }
        var after = served.scheduler.stats();
        assertThat(after.rowSteps() - before.rowSteps()).as("some steps held several rows")
                .isGreaterThan(after.steps() - before.steps());
    }

    @Test
    void healthAndMetricsInPrometheusTextFormat() throws Exception {
        post("/chat/completions", "{\"model\": \"stories260K\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
                + " \"max_tokens\": 5, \"n\": 2}", ServedModel.KEY, 200);
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(root() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(root() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String text = metrics.body();
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
                "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*\\})? "
                        + "(-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|\\+Inf|-Inf)");
        java.util.regex.Pattern comment = java.util.regex.Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
        for (String line : text.split("\n")) {
            assertThat(sample.matcher(line).matches() || comment.matcher(line).matches()).as("exposition line '%s'", line).isTrue();
        }
        assertThat(text).contains("# TYPE instruct4j_time_to_first_token_seconds histogram",
                "# TYPE instruct4j_time_per_output_token_seconds histogram", "# TYPE instruct4j_requests_waiting gauge",
                "# TYPE instruct4j_requests_running gauge", "# TYPE instruct4j_generation_tokens_per_second gauge",
                "# TYPE instruct4j_generation_tokens_total counter", "instruct4j_time_to_first_token_seconds_bucket{le=\"+Inf\"}",
                "instruct4j_request_success_total{finished_reason=\"length\"}");
        assertThat(value(text, "instruct4j_time_to_first_token_seconds_count")).isPositive()
                .isEqualTo(value(text, "instruct4j_time_to_first_token_seconds_bucket{le=\"+Inf\"}"));
        assertThat(value(text, "instruct4j_generation_tokens_total")).isGreaterThanOrEqualTo(10);
        assertThat(value(text, "instruct4j_generation_tokens_per_second")).isPositive();
        assertThat(value(text, "instruct4j_prefix_cache_queries_total")).isPositive();
        assertThat(value(text, "instruct4j_prefix_cache_hits_total")).isBetween(0.0, value(text, "instruct4j_prefix_cache_queries_total"));
    }

    private static double value(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
    }

    @Test
    void aClientThatDisconnectsMidStreamFreesItsRowWithinAStep() throws Exception {
        try (ServedModel paced = pacedModel()) {
            var before = paced.scheduler.stats();
            String body = "{\"model\": \"stories260K\", \"messages\": [{\"role\": \"user\", \"content\": \"Once upon a time\"}],"
                    + " \"temperature\": 0, \"max_tokens\": 250, \"ignore_eos\": true, \"stream\": true}";
            try (java.net.Socket socket = rawRequest(paced, body)) {
                java.io.BufferedReader events = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8));
                int chunks = 0;
                for (String line = events.readLine(); chunks < 3; line = events.readLine()) {
                    chunks += line.startsWith("data: ") ? 1 : 0;
                }
            }
            var after = awaitCancelled(paced, before);
            assertThat(after.stepsAfterCancel() - before.stepsAfterCancel()).isLessThanOrEqualTo(1);
            assertThat(after.generatedTokens() - before.generatedTokens()).as("tokens generated for the cut stream").isLessThan(250);
        }
    }

    @Test
    void aClientThatDisconnectsBeforeItsWholeAnswerFreesItsRow() throws Exception {
        try (ServedModel paced = pacedModel()) {
            var before = paced.scheduler.stats();
            String body = "{\"model\": \"stories260K\", \"prompt\": \"Once upon a time\", \"temperature\": 0, \"max_tokens\": 250,"
                    + " \"ignore_eos\": true}";
            try (java.net.Socket socket = rawRequest(paced, body)) {
                while (paced.scheduler.stats().generatedTokens() - before.generatedTokens() < 3) {
                    Thread.onSpinWait();
                }
            }
            var after = awaitCancelled(paced, before);
            assertThat(after.stepsAfterCancel() - before.stepsAfterCancel()).isLessThanOrEqualTo(1);
            assertThat(after.generatedTokens() - before.generatedTokens()).isLessThan(250);
        }
    }

    /** A server whose steps last at least 10 ms, so 250 tokens take 2.5 s and a disconnect lands mid-generation. */
    private static ServedModel pacedModel() {
        return new ServedModel(4096, org.instruct4j.serve.schedule.SchedulerOptions.defaults().withMaxRows(8), 10_000_000L);
    }

    private static java.net.Socket rawRequest(ServedModel target, String body) throws Exception {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", target.server.port());
        String path = body.contains("\"messages\"") ? "/v1/chat/completions" : "/v1/completions";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + ServedModel.KEY + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Waits (polling the scheduler's counters, with a generous bound) until one more job has been cancelled. */
    private static org.instruct4j.serve.schedule.SchedulerStats awaitCancelled(ServedModel target,
            org.instruct4j.serve.schedule.SchedulerStats before) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (target.scheduler.stats().cancelled() == before.cancelled() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        var after = target.scheduler.stats();
        assertThat(after.cancelled() - before.cancelled()).as("jobs cancelled").isEqualTo(1);
        return after;
    }

    @Test
    void parametersAreCheckedAsOpenAiChecksThem() throws Exception {
        String chat = "{\"model\": \"stories260K\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 4";
        assertThat(post("/chat/completions", chat + ", \"user\": \"u1\", \"metadata\": {\"a\": \"b\"}, \"store\": false}", ServedModel.KEY, 200)
                .at("/choices/0/finish_reason").asText()).as("unknown parameters are ignored").isIn("length", "stop");
        assertThat(post("/chat/completions", chat + ", \"stream_options\": {\"include_usage\": true}}", ServedModel.KEY, 400)
                .at("/error/param").asText()).isEqualTo("stream_options");
        assertThat(post("/chat/completions", chat + ", \"top_logprobs\": 2}", ServedModel.KEY, 400).at("/error/param").asText())
                .isEqualTo("top_logprobs");
        assertThat(post("/chat/completions", chat + ", \"logprobs\": true, \"top_logprobs\": 21}", ServedModel.KEY, 400)
                .at("/error/param").asText()).isEqualTo("top_logprobs");
        assertThat(post("/chat/completions", chat + ", \"presence_penalty\": 0.5}", ServedModel.KEY, 400).at("/error/param").asText())
                .isEqualTo("presence_penalty");
        assertThat(post("/chat/completions", chat + ", \"presence_penalty\": 0, \"logit_bias\": {}}", ServedModel.KEY, 200)
                .at("/object").asText()).isEqualTo("chat.completion");
        assertThat(post("/chat/completions", chat + ", \"response_format\": {\"type\": \"xml\"}}", ServedModel.KEY, 400)
                .at("/error/param").asText()).isEqualTo("response_format");
        JsonNode unsupported = post("/chat/completions", chat + ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\":"
                + " {\"name\": \"x\", \"schema\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"minimum\": 1}}}}}}",
                ServedModel.KEY, 400);
        assertThat(unsupported.at("/error/message").asText()).contains("/properties/n").contains("minimum");
        assertThat(post("/chat/completions", chat + ", \"seed\": \"x\"}", ServedModel.KEY, 400).at("/error/param").asText()).isEqualTo("seed");
    }

    private static String root() {
        return "http://127.0.0.1:" + served.server.port();
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
