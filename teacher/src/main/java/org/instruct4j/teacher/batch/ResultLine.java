package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import java.util.Set;
import org.instruct4j.core.io.Json;

/**
 * One line of a batch's output or error file, {@code {id, custom_id, response: {status_code, body}, error}},
 * read as what it means for its row: answered, failed for good, or not run at all (the batch expired or
 * was cancelled first), in which case the row stays pending and the next run submits it again.
 */
sealed interface ResultLine {
    /** Error codes of requests the batch never ran. */
    Set<String> NOT_RUN = Set.of("batch_expired", "batch_cancelled");

    record Answered(String customId, ChatCompletion completion) implements ResultLine {}

    record Failed(String customId, String reason) implements ResultLine {}

    record NotRun(String customId, String reason) implements ResultLine {}

    /** A line that is not JSON or names no request: nothing can be attributed, its row stays pending. */
    record Unreadable(String reason) implements ResultLine {}

    static ResultLine parse(String text) {
        JsonNode line;
        try {
            line = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new Unreadable("not JSON: " + e.getOriginalMessage());
        }
        JsonNode customId = line == null ? null : line.get("custom_id");
        if (customId == null || !customId.isTextual()) {
            return new Unreadable("no custom_id");
        }
        String id = customId.asText();
        JsonNode response = line.path("response");
        JsonNode error = line.path("error");
        if (response.isObject()) {
            int status = response.path("status_code").asInt();
            JsonNode body = response.path("body");
            if (status == 200) {
                return answered(id, body);
            }
            String message = body.path("error").path("message").asText("");
            return new Failed(id, "HTTP " + status + (message.isEmpty() ? "" : ": " + message));
        }
        if (error.isObject()) {
            String code = error.path("code").asText("");
            String reason = code + ": " + error.path("message").asText("");
            return NOT_RUN.contains(code) ? new NotRun(id, reason) : new Failed(id, reason);
        }
        return new Failed(id, "the batch result has neither a response nor an error");
    }

    private static ResultLine answered(String id, JsonNode body) {
        try {
            return new Answered(id, ObjectMappers.jsonMapper().treeToValue(body, ChatCompletion.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Failed(id, "malformed reply: " + e.getMessage());
        }
    }
}
