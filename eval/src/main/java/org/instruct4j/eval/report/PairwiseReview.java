package org.instruct4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.instruct4j.core.io.JsonRow;

/**
 * A FastChat review of two answers: {@code score1} is Assistant 1's. {@code model1}, {@code model2} and
 * {@code category} are null unless the review's metadata names them (as {@code eval judge} writes); {@code swapped}
 * marks the second judgment of a question with the answers in the other order.
 */
public record PairwiseReview(String questionKey, String answer1Id, String answer2Id, double score1, double score2,
        String reviewerId, String model1, String model2, String category, boolean swapped) {

    static PairwiseReview fromJson(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing");
        }
        int n = row.arraySize("score", true);
        if (n != 2) {
            throw row.error("score", "expected two scores [s1, s2], got " + n);
        }
        JsonNode metadata = row.node().path("metadata");
        return new PairwiseReview(row.id("question_id"), row.optionalString("answer1_id", ""),
                row.optionalString("answer2_id", ""), row.numberElement("score", 0), row.numberElement("score", 1),
                row.node().path("reviewer_id").asText(""), text(metadata, "model1"), text(metadata, "model2"),
                text(metadata, "category"), metadata.path("swapped").asBoolean(false));
    }

    private static String text(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
