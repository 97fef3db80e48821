package org.instruct4j.eval.qa;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A question put to the models under evaluation. {@code questionId} keeps the JSON type it had in the questions
 * file (FastChat numbers its questions, Self-Instruct names them), so that answers and reviews carry it unchanged;
 * {@link #key()} is its text form for matching. {@code input} is empty except for Self-Instruct instructions,
 * whose first instance's input goes with the instruction.
 */
public record EvalQuestion(JsonNode questionId, String instruction, String input, String category) {

    public String key() {
        return questionId.asText();
    }

    /** The question as one text: the instruction, then the input after a blank line when there is one. */
    public String text() {
        return input.isEmpty() ? instruction : instruction + "\n\n" + input;
    }
}
