package org.instruct4j.eval.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.ModelAnswer;

/**
 * How long each model's answers are, in characters (Unicode code points, as Python's {@code len}, which AlpacaEval
 * measures): the answer to the first turn, or the whole conversation for a judgment of turn 2, which the judge reads.
 */
final class AnswerLengths {
    private final Map<String, Map<String, List<Integer>>> byModel = new HashMap<>();

    void add(AnswerFile file) {
        Map<String, List<Integer>> lengths = byModel.computeIfAbsent(file.modelId(), m -> new HashMap<>());
        for (ModelAnswer answer : file.answers()) {
            lengths.put(answer.questionKey(), answer.turns().stream().map(text -> text.codePointCount(0, text.length())).toList());
        }
    }

    /** The length the judge saw of {@code model}'s answer to {@code question} up to {@code turn}, or -1 when unknown. */
    int length(String model, String question, int turn) {
        List<Integer> turns = byModel.getOrDefault(model, Map.of()).get(question);
        if (turns == null || turns.size() < turn) {
            return -1;
        }
        int total = 0;
        for (int t = 0; t < turn; t++) {
            total += turns.get(t);
        }
        return total;
    }
}
