package org.instruct4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/** A FastChat answer: {@code {question_id, text, answer_id, model_id, metadata}}. */
public record Answer(long questionId, String text, String answerId, String modelId, JsonNode metadata) {

    public static Answer fromJson(JsonRow row) {
        JsonNode metadata = row.node().get("metadata");
        return new Answer(row.integer("question_id"), row.string("text"), row.optionalString("answer_id", ""),
                row.string("model_id"), metadata == null ? Json.object() : metadata);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("question_id", questionId);
        node.put("text", text);
        node.put("answer_id", answerId);
        node.put("model_id", modelId);
        node.set("metadata", metadata);
        return node;
    }
}
