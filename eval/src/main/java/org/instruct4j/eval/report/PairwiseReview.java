package org.instruct4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.eval.judge.ScoreParse;

/**
 * A FastChat review of two answers: {@code score1} is Assistant 1's. {@code model1}, {@code model2} and
 * {@code category} are null unless the review's metadata names them (as {@code eval judge} writes); {@code swapped}
 * marks the second judgment of a question with the answers in the other order; {@code recovered} that only the lenient
 * parser read the scores; {@code text} is the review (null when the row has none).
 */
public record PairwiseReview(String questionKey, String answer1Id, String answer2Id, double score1, double score2,
        String reviewerId, String model1, String model2, String category, boolean swapped, boolean recovered, String text) {

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
                text(metadata, "category"), metadata.path("swapped").asBoolean(false),
                "lenient".equals(text(metadata, "parse")), row.optionalString("text", null));
    }

    /** The review with its scores read again from its text by {@code parse} (unchanged when it has no text). */
    PairwiseReview rescored(ScoreParse parse) {
        if (text == null) {
            return this;
        }
        ScoreParse.PairScores scores = parse.pair(text);
        return new PairwiseReview(questionKey, answer1Id, answer2Id, scores.first(), scores.second(), reviewerId, model1, model2,
                category, swapped, scores.recovered(), text);
    }

    private static String text(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
