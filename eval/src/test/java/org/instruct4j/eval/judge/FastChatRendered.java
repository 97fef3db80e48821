package org.instruct4j.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.fasterxml.jackson.databind.node.DoubleNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.teacher.client.ChatCall;

/** The fixtures FastChat's own code rendered (see {@code fastchat/README.md} beside them) and their inputs. */
public final class FastChatRendered {
    public static final Path DIR = resource("/org/instruct4j/eval/judge/fastchat");
    public static final List<EvalQuestion> QUESTIONS = QuestionFile.read(DIR.resolve("input/question.jsonl"));

    private FastChatRendered() {}

    public static AnswerFile answers(String model) {
        return AnswerFile.read(DIR.resolve("input/model_answer/" + model + ".jsonl"), QUESTIONS);
    }

    public static AnswerFile references() {
        return AnswerFile.read(DIR.resolve("input/reference_answer/gpt-4.jsonl"), QUESTIONS);
    }

    public static EvalQuestion question(JsonNode id) {
        return QUESTIONS.stream().filter(q -> q.key().equals(id.asText())).findFirst().orElseThrow();
    }

    public static List<JsonNode> rows(String file) {
        List<JsonNode> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve(file))) {
                rows.add(Json.MAPPER.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * The call in the recorded form {model, messages:[{role, content}], temperature, max_tokens}, with the temperature
     * as Python wrote it (an int 0 and a float 0.0 are the same to the API).
     */
    public static JsonNode recorded(ChatCall call, JsonNode fastChat) {
        var node = Json.object().put("model", call.model());
        var messages = node.putArray("messages");
        call.messages().forEach(m -> messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT))
                .put("content", m.content()));
        JsonNode temperature = fastChat.get("temperature");
        node.set("temperature", temperature.asDouble() == call.sampling().temperature() ? temperature
                : DoubleNode.valueOf(call.sampling().temperature()));
        node.put("max_tokens", call.sampling().maxTokens());
        return node;
    }

    private static Path resource(String name) {
        try {
            return Path.of(FastChatRendered.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
