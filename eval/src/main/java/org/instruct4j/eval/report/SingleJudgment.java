package org.instruct4j.eval.report;

import org.instruct4j.core.io.JsonRow;

/**
 * A FastChat llm_judge single-answer judgment: one model's 1-10 score on one question and turn (-1: no rating found);
 * {@code recovered} when only the lenient parser read the score.
 */
public record SingleJudgment(String questionKey, String model, double score, int turn, String category, boolean recovered) {

    static SingleJudgment fromJson(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing");
        }
        int turn = row.node().has("turn") ? (int) row.integer("turn") : 1;
        return new SingleJudgment(row.id("question_id"), row.string("model"), row.number("score"), turn,
                row.optionalString("category", null), "lenient".equals(row.optionalString("parse", null)));
    }
}
