package org.instruct4j.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.generate.GenerationConfig;
import org.junit.jupiter.api.Test;

/**
 * The server as a client nobody here wrote sees it: the official `openai` npm package, run by Node.js, for plain
 * and streaming chat, text completions, model listing and a rejected key (installed by the build, see the pom).
 */
class OfficialNodeClientTest {
    @Test
    void theOfficialNodeClientTalksToTheServer() throws Exception {
        try (ServedModel served = new ServedModel()) {
            Path script = Path.of("src/test/node/client.mjs").toAbsolutePath();
            Process node = new ProcessBuilder("node", script.toString(), served.server.baseUrl(), ServedModel.KEY, ServedModel.MODEL_ID)
                    .redirectErrorStream(false).start();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(err).isZero();
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
        }
    }
}
