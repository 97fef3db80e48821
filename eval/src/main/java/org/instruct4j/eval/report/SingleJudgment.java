package org.instruct4j.eval.report;

import org.instruct4j.core.io.JsonRow;

/** A FastChat llm_judge single-answer judgment: one model's 1-10 score on one question (-1: no rating found). */
public record SingleJudgment(String questionKey, String model, double score, String category) {

    static SingleJudgment fromJson(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing");
        }
        return new SingleJudgment(row.id("question_id"), row.string("model"), row.number("score"),
                row.optionalString("category", null));
    }
}
