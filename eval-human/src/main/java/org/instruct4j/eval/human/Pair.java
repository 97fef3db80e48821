package org.instruct4j.eval.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/**
 * One item of a human evaluation: a question and two models' answers to it. Annotators never see the model names;
 * which answer is shown on the left is drawn at random per annotator and item. {@code questionId} keeps its JSON
 * type. File row: {@code {pair_id, question_id, category, question, model_a, answer_a, model_b, answer_b}}.
 */
public record Pair(String pairId, JsonNode questionId, String category, String question, String modelA, String answerA,
        String modelB, String answerB) {

    public static Pair fromJson(JsonRow row) {
        if (!row.node().has("pair_id")) {
            throw row.error("pair_id", "missing");
        }
        JsonNode questionId = row.node().get("question_id");
        if (questionId == null || !(questionId.isTextual() || questionId.canConvertToExactIntegral())) {
            throw row.error("question_id", questionId == null ? "missing" : "expected a string or an integer");
        }
        return new Pair(row.id("pair_id"), questionId, row.optionalString("category", "general"), nonEmpty(row, "question"),
                nonEmpty(row, "model_a"), row.string("answer_a"), nonEmpty(row, "model_b"), row.string("answer_b"));
    }

    private static String nonEmpty(JsonRow row, String field) {
        String value = row.string(field);
        if (value.isBlank()) {
            throw row.error(field, "is empty");
        }
        return value;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("pair_id", pairId);
        node.set("question_id", questionId);
        node.put("category", category);
        node.put("question", question);
        node.put("model_a", modelA);
        node.put("answer_a", answerA);
        node.put("model_b", modelB);
        node.put("answer_b", answerB);
        return node;
    }
}
