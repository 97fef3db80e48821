package org.instruct4j.eval.qa;

import java.util.List;

/**
 * One model's answer to one question: FastChat's {@code answer_id}, {@code model_id} and the answer's turns (one
 * for a {@code text} answer, one per user turn for an llm_judge answer {@code choices[0].turns}).
 */
public record ModelAnswer(String questionKey, String answerId, String modelId, List<String> turns) {

    public ModelAnswer {
        turns = List.copyOf(turns);
    }

    /** The answer to the first turn. */
    public String text() {
        return turns.get(0);
    }
}
