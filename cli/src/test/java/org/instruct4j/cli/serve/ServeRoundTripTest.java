package org.instruct4j.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.instruct4j.cli.Main;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.serve.http.OpenAiServer;
import org.instruct4j.serve.http.ServeOptions;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served student as a teacher: generate talks to `serve` over HTTP and gets what the model answers in process. */
class ServeRoundTripTest {
    private static final Path CHECKPOINT = SharedData.path("models/stories260K/stories260K.bin");
    private static final Path TOKENIZER = SharedData.path("models/stories260K/tok512.bin");

    @TempDir
    Path dir;

    @Test
    void generateAnswersThroughTheServedModel() throws Exception {
        InferenceModel model = ModelDirectory.openForInference(CHECKPOINT, TOKENIZER, InferenceOptions.defaults());
        Path input = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
        Path output = dir.resolve("answers.jsonl");
        try (LocalModel local = LocalModel.start(model, SchedulerOptions.defaults().withMaxRows(4));
                OpenAiServer server = OpenAiServer.start(local, ModelPrompt.of(PromptFormat.ALPACA, model),
                        new ServeOptions("127.0.0.1", 0, "student", null, 64, 256, 1 << 20))) {
            int code = Main.run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
                    "generate", "answers", "--input", input.toString(), "--output", output.toString(), "--limit", "4",
                    "--base-url", server.baseUrl(), "--model", "student", "--api-key-env", "PATH",
                    "--temperature", "0", "--max-tokens", "16", "--quiet");
            assertThat(code).isZero();

            LocalChatClient direct = new LocalChatClient(local, ModelPrompt.of(PromptFormat.ALPACA, model), "student", 0);
            List<AlpacaExample> examples = Datasets.readAll(input, AlpacaExample::fromJson);
            List<JsonRow> rows = Datasets.readAll(output, row -> row);
            assertThat(rows).hasSize(4);
            for (JsonRow row : rows) {
                AlpacaExample example = examples.get(Integer.parseInt(row.string("id")));
                ChatCall call = new ChatCall("student", List.of(ChatMessage.user(AlpacaPrompt.render(example.instruction(),
                        example.input()))), new Sampling(0, 1, 16, List.of()));
                assertThat(row.string("output")).isEqualTo(direct.complete(call).content());
                assertThat(row.string("model")).isEqualTo("student");
            }
        }
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenStops() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve", "--model", CHECKPOINT.toString(), "--tokenizer", TOKENIZER.toString(), "--port", "0",
                "--model-id", "stories").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8));
        String baseUrl = null;
        Pattern url = Pattern.compile("(http://\\S+/v1)");
        while (baseUrl == null) {
            String line = log.readLine();
            if (line == null) {
                break;
            }
            Matcher m = url.matcher(line);
            if (m.find()) {
                baseUrl = m.group(1);
            }
        }
        assertThat(baseUrl).as("the server announces its address").isNotNull();

        String body = "{\"model\": \"stories\", \"messages\": [{\"role\": \"user\", \"content\": \"Once upon a time\"}],"
                + " \"temperature\": 0, \"max_tokens\": 400, \"stream\": true}";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(events.readLine()).as("the first event arrived").startsWith("data: ");
        serve.destroy();

        StringBuilder rest = new StringBuilder();
        for (String line = events.readLine(); line != null; line = events.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(rest.toString()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isIn(0, 143);
    }
}
