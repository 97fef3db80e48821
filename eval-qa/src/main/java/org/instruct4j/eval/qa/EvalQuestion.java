package org.instruct4j.eval.qa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A question put to the models under evaluation. {@code questionId} keeps the JSON type it had in the questions
 * file (FastChat numbers its questions, Self-Instruct names them), so that answers and reviews carry it unchanged;
 * {@link #key()} is its text form for matching. {@code input} is empty except for Self-Instruct instructions,
 * whose first instance's input goes with the instruction. FastChat llm_judge questions ({@code turns}, MT-bench)
 * are conversations: {@code followUps} are the user's turns after the first, {@code requiredTemperature} the
 * question's own {@code required_temperature} (null when it has none), and {@code conversation} is true.
 */
public record EvalQuestion(JsonNode questionId, String instruction, String input, String category, List<String> followUps,
                           Double requiredTemperature, boolean conversation) {

    public EvalQuestion {
        followUps = List.copyOf(followUps);
    }

    /** A one-turn question (FastChat's Vicuna table, Self-Instruct). */
    public EvalQuestion(JsonNode questionId, String instruction, String input, String category) {
        this(questionId, instruction, input, category, List.of(), null, false);
    }

    public String key() {
        return questionId.asText();
    }

    /** The question as one text: the instruction, then the input after a blank line when there is one. */
    public String text() {
        return input.isEmpty() ? instruction : instruction + "\n\n" + input;
    }

    /** The user's turns: the question's text, then the follow-ups. */
    public List<String> turns() {
        List<String> turns = new ArrayList<>(1 + followUps.size());
        turns.add(text());
        turns.addAll(followUps);
        return turns;
    }
}
