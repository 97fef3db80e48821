package org.instruct4j.core.data;

import org.instruct4j.core.io.JsonRow;

/**
 * A FastChat evaluation question: the Vicuna table format {@code {question_id, text, category}} or the
 * llm_judge format {@code {question_id, category, turns:[...]}} (its first turn becomes the text).
 */
public record Question(long questionId, String text, String category) {

    public static Question fromJson(JsonRow row) {
        long id = row.integer("question_id");
        String text;
        if (row.node().has("turns")) {
            row.arraySize("turns", true);
            text = row.stringElement("turns", 0);
        } else {
            text = row.string("text");
        }
        return new Question(id, text, row.optionalString("category", "general"));
    }
}
