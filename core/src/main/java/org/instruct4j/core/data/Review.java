package org.instruct4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/**
 * A FastChat review (GPT-4 judge output):
 * {@code {review_id, question_id, answer1_id, answer2_id, text, score:[s1, s2], reviewer_id, metadata}}.
 */
public record Review(String reviewId, long questionId, String answer1Id, String answer2Id, String text,
        double score1, double score2, String reviewerId, JsonNode metadata) {

    public static Review fromJson(JsonRow row) {
        int n = row.arraySize("score", true);
        if (n != 2) {
            throw row.error("score", "expected two scores [s1, s2], got " + n);
        }
        JsonNode metadata = row.node().get("metadata");
        return new Review(row.optionalString("review_id", ""), row.integer("question_id"),
                row.optionalString("answer1_id", ""), row.optionalString("answer2_id", ""), row.string("text"),
                row.numberElement("score", 0), row.numberElement("score", 1),
                row.optionalString("reviewer_id", ""), metadata == null ? Json.object() : metadata);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("review_id", reviewId);
        node.put("question_id", questionId);
        node.put("answer1_id", answer1Id);
        node.put("answer2_id", answer2Id);
        node.put("text", text);
        node.putArray("score").add(score1).add(score2);
        node.put("reviewer_id", reviewerId);
        node.set("metadata", metadata);
        return node;
    }
}
