package org.instruct4j.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.junit.jupiter.api.Test;

/**
 * The server as a client nobody here wrote sees it: the official `openai` npm package, run by Node.js, for plain
 * and streaming chat, text completions, model listing and a rejected key; n choices, seeds, log-probabilities, stop
 * strings, usage in streams; json_object and json_schema answers that parse and that ajv validates; and 429 from a
 * server whose one row is busy, then the SDK's own retries getting through (installed by the build, see the pom).
 */
class OfficialNodeClientTest {
    @Test
    void theOfficialNodeClientTalksToTheServer() throws Exception {
        try (ServedModel served = new ServedModel();
                // 10 ms a step, so the one row's 250-token stream still holds the row when the next request comes
                // (unpaced, stories260K streams it in about 20 ms)
                ServedModel busy = new ServedModel(1 << 20, SchedulerOptions.defaults().withMaxRows(1).withMaxQueue(0),
                        10_000_000)) {
            Path script = Path.of("src/test/node/client.mjs").toAbsolutePath();
            Process node = new ProcessBuilder("node", script.toString(), served.server.baseUrl(), ServedModel.KEY, ServedModel.MODEL_ID,
                    busy.server.baseUrl()).redirectErrorStream(false).start();
            assertThat(node.waitFor(240, TimeUnit.SECONDS)).isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(err + busy.scheduler.stats() + " running " + busy.scheduler.running()).isZero();
            JsonNode seen = Json.MAPPER.readTree(out);

            String expected = served.model.generator().generate("Once upon a time", GenerationConfig.greedy(24)).text();
            assertThat(seen.at("/models/0").asText()).isEqualTo(ServedModel.MODEL_ID);
            assertThat(seen.at("/plain/content").asText()).isEqualTo(expected);
            assertThat(seen.at("/plain/finish_reason").asText()).isEqualTo("length");
            assertThat(seen.at("/plain/usage/completion_tokens").asInt()).isEqualTo(24);
            assertThat(seen.at("/stream/content").asText()).isEqualTo(expected);
            assertThat(seen.at("/stream/chunks").asInt()).isGreaterThan(5);
            assertThat(seen.at("/stream/finish_reason").asText()).isEqualTo("length");
            assertThat(seen.at("/stream/usage/completion_tokens").asInt()).isEqualTo(24);
            assertThat(seen.at("/text/content").asText())
                    .isEqualTo(served.model.generator().generate("Lily", GenerationConfig.greedy(12)).text());
            assertThat(seen.at("/rejected/status").asInt()).isEqualTo(401);
            assertThat(seen.at("/rejected/type").asText()).isEqualTo("AuthenticationError");

            JsonNode n = seen.get("n");
            assertThat(n.get("indices")).extracting(JsonNode::asInt).containsExactly(0, 1, 2);
            assertThat(n.get("again")).as("the same seed, the same choices").isEqualTo(n.get("texts"));
            assertThat(n.at("/texts/0").asText()).as("choice 0 is what n = 1 gives").isEqualTo(n.get("one").asText());
            assertThat(List.of(n.at("/texts/0").asText(), n.at("/texts/1").asText(), n.at("/texts/2").asText()))
                    .as("choices draw different samples").doesNotHaveDuplicates();
            assertThat(n.at("/streamed/texts/0").asText()).isEqualTo(n.at("/texts/0").asText());
            assertThat(n.at("/streamed/texts/1").asText()).isEqualTo(n.at("/texts/1").asText());
            assertThat(n.at("/streamed/roles").asInt()).isEqualTo(2);
            assertThat(n.at("/streamed/usage/completion_tokens").asInt()).isEqualTo(32);
            assertThat(n.at("/usage/completion_tokens").asInt()).isEqualTo(48);

            JsonNode chatLogprobs = seen.at("/chatLogprobs/content");
            assertThat(chatLogprobs).hasSize(seen.at("/chatLogprobs/usage/completion_tokens").asInt());
            StringBuilder fromTokens = new StringBuilder();
            for (JsonNode token : chatLogprobs) {
                assertThat(token.get("top_logprobs")).hasSize(3);
                assertThat(token.at("/top_logprobs/0/token").asText()).as("greedy picks the most likely").isEqualTo(token.get("token").asText());
                assertThat(token.get("logprob").asDouble()).isNegative().isEqualTo(token.at("/top_logprobs/0/logprob").asDouble());
                fromTokens.append(token.get("token").asText());
            }
            assertThat(fromTokens.toString().strip()).isEqualTo(seen.at("/chatLogprobs/text").asText().strip());
            assertThat(seen.at("/textLogprobs/tokens")).hasSize(6);
            assertThat(seen.at("/textLogprobs/top_logprobs/0").size()).isBetween(1, 2);
            assertThat(seen.at("/textLogprobs/text_offset/0").asInt()).isZero();

            assertThat(seen.at("/stopped/finish_reason").asText()).isEqualTo("stop");
            assertThat(seen.at("/stopped/content").asText()).doesNotContain(".").doesNotContain("!").isNotEmpty();

            assertThat(seen.get("jsonSchema")).hasSize(4);
            for (JsonNode answer : seen.get("jsonSchema")) {
                assertThat(answer.get("finish_reason").asText()).as(answer.toString()).isEqualTo("stop");
                assertThat(answer.get("valid").asBoolean()).as(answer.toString()).isTrue();
            }
            assertThat(seen.at("/jsonSchemaStream/valid").asBoolean()).as(seen.get("jsonSchemaStream").toString()).isTrue();
            for (JsonNode answer : seen.get("jsonObject")) {
                if (answer.get("finish_reason").asText().equals("stop")) {
                    assertThat(answer.get("object").asBoolean()).as(answer.toString()).isTrue();
                }
            }
            assertThat(seen.at("/badSchema/status").asInt()).isEqualTo(400);
            assertThat(seen.at("/badSchema/param").asText()).isEqualTo("response_format");

            JsonNode overloaded = seen.get("overloaded");
            assertThat(overloaded.get("firstChunk").asBoolean()).isTrue();
            assertThat(overloaded.get("status").asInt()).isEqualTo(429);
            assertThat(overloaded.get("type").asText()).isEqualTo("RateLimitError");
            assertThat(overloaded.get("retryAfter").asInt()).isPositive();
            assertThat(overloaded.get("retryAfterMs").asInt()).isPositive();
            assertThat(overloaded.get("afterAbort").asText()).isNotEmpty();
            assertThat(busy.scheduler.stats().cancelled()).as("the aborted stream left the batch").isEqualTo(1);
            assertThat(busy.scheduler.stats().stepsAfterCancel()).isLessThanOrEqualTo(1);
        }
    }
}
