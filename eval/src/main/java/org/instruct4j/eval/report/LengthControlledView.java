package org.instruct4j.eval.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.instruct4j.core.io.Json;

/**
 * The length-controlled view of one pairwise comparison, model A against model B: each judged question's preference
 * for A (as FastChat's show_result counts it) with the lengths of both answers, and the {@link LengthControlledWinRate}
 * fitted on them. Questions whose answer lengths are unknown (no answers file given for a model) are left out.
 */
record LengthControlledView(String modelA, String modelB, int judged, double meanLengthA, double meanLengthB,
                            LengthControlledWinRate.Result fit) {

    /** One judged question: A's preference, the lengths the judge read. */
    record Judged(double preference, int lengthA, int lengthB) {}

    /** The view, or null when fewer than two questions have known lengths. */
    static LengthControlledView of(String modelA, String modelB, List<Judged> judged) {
        List<Judged> known = judged.stream().filter(j -> j.lengthA() >= 0 && j.lengthB() >= 0).toList();
        if (known.size() < 2) {
            return null;
        }
        double[] preferences = new double[known.size()];
        double[] lengthsA = new double[known.size()];
        double[] lengthsB = new double[known.size()];
        for (int i = 0; i < known.size(); i++) {
            preferences[i] = known.get(i).preference();
            lengthsA[i] = known.get(i).lengthA();
            lengthsB[i] = known.get(i).lengthB();
        }
        return new LengthControlledView(modelA, modelB, known.size(), mean(lengthsA), mean(lengthsB),
                LengthControlledWinRate.fit(preferences, lengthsA, lengthsB));
    }

    /** The view of a comparison whose questions' preferences are given, with lengths of turn-1 answers. */
    static LengthControlledView ofQuestions(String modelA, String modelB, Map<String, Double> preferences, AnswerLengths lengths) {
        List<Judged> judged = new ArrayList<>();
        preferences.forEach((question, p) -> judged.add(new Judged(p, lengths.length(modelA, question, 1),
                lengths.length(modelB, question, 1))));
        return of(modelA, modelB, judged);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** One line: the length-controlled win rate of A, with what it was fitted on. */
    String line() {
        return String.format(Locale.ROOT, "  %s vs %s: length-controlled win rate of A %s (win rate %s, ties half; %d questions; "
                        + "mean length %,.0f vs %,.0f characters; length weight %.3f, C %.4g; AlpacaEval 2's GLM)%n",
                modelA, modelB, JudgeReport.percent(fit.lengthControlledWinRate()), JudgeReport.percent(fit.winRate()), judged,
                meanLengthA, meanLengthB, fit.lengthWeight(), fit.c());
    }

    ObjectNode json() {
        ObjectNode node = Json.object();
        node.put("model_a", modelA).put("model_b", modelB).put("judged", judged);
        node.put("win_rate", fit.winRate()).put("length_controlled_win_rate", fit.lengthControlledWinRate());
        node.put("mean_length_a", meanLengthA).put("mean_length_b", meanLengthB);
        node.put("length_weight", fit.lengthWeight()).put("constant_weight", fit.constantWeight()).put("c", fit.c());
        return node;
    }
}
