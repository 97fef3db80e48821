package org.instruct4j.eval.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The win rate a judge would give at equal answer length, after AlpacaEval 2 ({@code alpaca_eval/metrics/glm_winrate.py},
 * Dubois et al. 2024): a logistic regression (a GLM) predicts the judge's preference for the model over the baseline
 * from the length difference, and the length-controlled win rate is its prediction with the difference set to 0.
 *
 * <p>This is AlpacaEval's {@code length_controlled_minimal} GLM, fitted the way {@code fit_LogisticRegressionCV} fits it:
 * features {@code tanh(std_delta_len)} (the baseline's answer length minus the model's, in characters, divided by the
 * standard deviation of those differences) and a constant, no intercept; the preferences (1 = the model wins, 0 = the
 * baseline, 0.5 = a tie) are soft labels, each question entered twice (label 1 with weight p, label 0 with weight 1 - p);
 * L1 penalty, the inverse regularisation strength C chosen among {@code logspace(-4, 4, 10)} by 5-fold cross-validation
 * over questions (sklearn's GroupKFold: questions dealt to the folds in reverse order) on the log loss of the soft
 * labels, then refitted on every question. AlpacaEval's default GLM ({@code length_controlled_v1}) adds an instruction
 * difficulty learned from its own 805 instructions across its leaderboard and a pull towards "gamed" baselines; neither
 * exists for other question sets, so the minimal GLM is the faithful one here.
 */
public final class LengthControlledWinRate {
    private static final int FOLDS = 5;
    private static final double[] CS = logspace(-4, 4, 10);
    private static final double EPSILON = 1e-15;

    /**
     * The fitted model: the raw win rate (mean preference), the length-controlled one, the weights of
     * {@code tanh(std_delta_len)} and of the constant, and the chosen C.
     */
    public record Result(int questions, double winRate, double lengthControlledWinRate, double lengthWeight, double constantWeight,
                         double c) {}

    private LengthControlledWinRate() {}

    /**
     * Fits the GLM; {@code preferences[i]} is the judge's preference for the model on question i, {@code modelLengths[i]}
     * and {@code baselineLengths[i]} the lengths of the two answers. Needs at least two questions.
     */
    public static Result fit(double[] preferences, double[] modelLengths, double[] baselineLengths) {
        int n = preferences.length;
        if (n < 2) {
            throw new IllegalArgumentException("a length-controlled win rate needs at least two judged questions, got " + n);
        }
        double[] delta = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            delta[i] = baselineLengths[i] - modelLengths[i];
            mean += delta[i] / n;
        }
        double variance = 0;
        for (double d : delta) {
            variance += (d - mean) * (d - mean) / (n - 1);
        }
        double std = Math.sqrt(variance);
        double[] feature = new double[n];
        for (int i = 0; i < n; i++) {
            feature[i] = std == 0 ? 0 : Math.tanh(delta[i] / std);
        }
        double c = chooseC(feature, preferences);
        double[] w = L1Logistic.fit(feature, preferences, allRows(n), c);
        double winRate = 0;
        for (double p : preferences) {
            winRate += p / n;
        }
        return new Result(n, winRate, L1Logistic.sigmoid(w[1]), w[0], w[1], c);
    }

    /** The C with the best mean held-out score over the folds (the first of equals, as numpy's argmax). */
    private static double chooseC(double[] feature, double[] preferences) {
        int n = preferences.length;
        int folds = Math.min(FOLDS, n);
        double best = Double.NEGATIVE_INFINITY;
        double bestC = CS[0];
        for (double c : CS) {
            double score = 0;
            for (int fold = 0; fold < folds; fold++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ((n - 1 - i) % folds == fold ? test : train).add(i);
                }
                double[] w = L1Logistic.fit(feature, preferences, train, c);
                score -= logLoss(feature, preferences, test, w);
            }
            if (score > best) {
                best = score;
                bestC = c;
            }
        }
        return bestC;
    }

    /** alpaca_eval's {@code logloss_continuous}: the soft label against the predicted probability, averaged. */
    private static double logLoss(double[] feature, double[] preferences, List<Integer> rows, double[] w) {
        double loss = 0;
        for (int i : rows) {
            double p = Math.min(Math.max(L1Logistic.sigmoid(w[0] * feature[i] + w[1]), EPSILON), 1 - EPSILON);
            loss -= preferences[i] * Math.log(p) + (1 - preferences[i]) * Math.log(1 - p);
        }
        return loss / rows.size();
    }

    private static List<Integer> allRows(int n) {
        List<Integer> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        return rows;
    }

    private static double[] logspace(double from, double to, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = Math.pow(10, from + (to - from) * i / (count - 1));
        }
        return values;
    }
}
