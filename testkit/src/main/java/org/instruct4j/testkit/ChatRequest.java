package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat-completions request as the server understood it. Optional sampling fields are
 * {@code null} when the client did not send them; {@code raw} is the whole request body.
 * {@code maxTokens} is {@code max_tokens}, or {@code max_completion_tokens} when only that was sent.
 */
public record ChatRequest(
        String model,
        List<Message> messages,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer n,
        List<String> stop,
        JsonNode raw) {

    /** A message of the conversation; content parts of type text are joined into one string. */
    public record Message(String role, String content) {
        public static Message user(String content) {
            return new Message("user", content);
        }

        public static Message system(String content) {
            return new Message("system", content);
        }
    }

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
    }

    /**
     * The content of the last user message, or "" if there is none. The server's statistics use it
     * as the request's prompt, because that is what a test knows about each row.
     */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Parses and validates a request body the way the OpenAI API does, naming the offending param. */
    static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalidRequest("The request body must be a JSON object.", null);
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiError.invalidRequest("you must provide a model parameter", "model");
        }
        return new ChatRequest(
                model.asText(),
                messages(body.get("messages")),
                number(body, "temperature", 0, 2),
                number(body, "top_p", 0, 1),
                body.has("max_tokens") ? positive(body, "max_tokens") : positive(body, "max_completion_tokens"),
                positive(body, "n"),
                stop(body.get("stop")),
                body);
    }

    private static List<Message> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalidRequest("'messages' must be a non-empty array.", "messages");
        }
        List<Message> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual()) {
                throw ApiError.invalidRequest("Missing required parameter: '" + where + ".role'.", where + ".role");
            }
            parsed.add(new Message(role.asText(), content(message.get("content"), where + ".content")));
        }
        return parsed;
    }

    private static String content(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text") && part.path("text").isTextual()) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        throw ApiError.invalidRequest("Invalid type for '" + param + "': expected a string or an array.", param);
    }

    private static Double number(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiError.invalidRequest(
                    "Invalid '" + field + "': expected a number between " + min + " and " + max + ".", field);
        }
        return value.asDouble();
    }

    private static Integer positive(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw ApiError.invalidRequest("Invalid '" + field + "': expected a positive integer.", field);
        }
        return value.asInt();
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray()) {
            List<String> sequences = new ArrayList<>();
            stop.forEach(s -> sequences.add(s.asText()));
            return sequences;
        }
        throw ApiError.invalidRequest("Invalid 'stop': expected a string or an array of strings.", "stop");
    }
}
