package org.instruct4j.model.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.Turn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seven real chat templates render every conversation exactly as transformers' apply_chat_template does
 * ({@code chat/README.md}: the fixtures were rendered by Jinja2 in transformers' environment), and fail where it fails.
 */
class RealTemplatesTest {
    private static JsonNode read(String name) throws IOException {
        try (InputStream in = RealTemplatesTest.class.getResourceAsStream("/org/instruct4j/model/chat/" + name)) {
            return Json.MAPPER.readTree(in);
        }
    }

    static Stream<JsonNode> renders() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        read("rendered.json").forEach(cases::add);
        return cases.stream();
    }

    private static final Map<String, ChatTemplate> TEMPLATES = new HashMap<>();

    private static ChatTemplate template(String name) throws IOException {
        if (TEMPLATES.isEmpty()) {
            for (JsonNode spec : read("templates.json")) {
                TEMPLATES.put(spec.get("name").asText(), new ChatTemplate(spec.get("chat_template").asText(),
                        spec.get("bos_token").isNull() ? null : spec.get("bos_token").asText(), spec.get("eos_token").asText(),
                        spec.get("name").asText()));
            }
        }
        return TEMPLATES.get(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void rendersAsTransformersDoes(JsonNode fixture) throws IOException {
        ChatTemplate template = template(fixture.get("template").asText());
        List<Turn> messages = new ArrayList<>();
        fixture.get("messages").forEach(m -> messages.add(new Turn(m.get("role").asText(), m.get("content").asText())));
        boolean generationPrompt = fixture.get("add_generation_prompt").asBoolean();
        if (fixture.has("error")) {
            assertThatThrownBy(() -> template.render(messages, generationPrompt)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining(fixture.get("error").asText());
        } else {
            assertThat(template.render(messages, generationPrompt)).isEqualTo(fixture.get("rendered").asText());
        }
    }
}
