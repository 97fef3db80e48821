package org.instruct4j.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.junit.jupiter.api.Test;

/**
 * AlpacaEval 2's length-controlled win rate against scikit-learn's fits of the same GLM ({@code alpaca_eval/README.md}):
 * the same folds, the same C chosen, the same weights at every C (liblinear stops at a tolerance of 1e-4, so the weights
 * agree to about 1e-3), the same length-controlled win rate.
 */
class LengthControlledWinRateTest {
    private static JsonNode fits() throws IOException {
        try (var in = LengthControlledWinRateTest.class.getResourceAsStream("/org/instruct4j/eval/report/alpaca_eval/glm_fits.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    @Test
    void everyFitIsScikitLearns() throws IOException {
        JsonNode fits = fits();
        assertThat(fits).hasSize(6);
        int regularisedAway = 0;
        for (JsonNode fit : fits) {
            double[] preferences = doubles(fit.get("preferences"));
            LengthControlledWinRate.Result result = LengthControlledWinRate.fit(preferences, doubles(fit.get("model_lengths")),
                    doubles(fit.get("baseline_lengths")));
            assertThat(result.winRate()).isCloseTo(fit.get("win_rate").asDouble(), within(1e-12));
            assertThat(result.c()).isCloseTo(fit.get("c").asDouble(), within(1e-9 * fit.get("c").asDouble()));
            assertThat(result.lengthWeight()).isCloseTo(fit.get("weights").get(0).asDouble(), within(2e-3));
            assertThat(result.constantWeight()).isCloseTo(fit.get("weights").get(1).asDouble(), within(2e-3));
            assertThat(result.lengthControlledWinRate()).isCloseTo(fit.get("length_controlled_win_rate").asDouble(), within(5e-4));
            regularisedAway += result.lengthWeight() == 0 ? 1 : 0;
        }
        assertThat(regularisedAway).as("some fits keep a length effect, some lose it to the L1 penalty").isBetween(1, 5);
    }

    @Test
    void theL1SolverAgreesWithLiblinearAtEveryC() throws IOException {
        double[] cs = {1e-4, 7.742636826811277e-4, 5.994842503189409e-3, 4.641588833612782e-2, 0.3593813663804626,
            2.782559402207126, 21.54434690031882, 166.81005372000593, 1291.5496650148827, 1e4};
        for (JsonNode fit : fits()) {
            double[] preferences = doubles(fit.get("preferences"));
            double[] model = doubles(fit.get("model_lengths"));
            double[] baseline = doubles(fit.get("baseline_lengths"));
            int n = preferences.length;
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += (baseline[i] - model[i]) / n;
            }
            double variance = 0;
            for (int i = 0; i < n; i++) {
                variance += Math.pow(baseline[i] - model[i] - mean, 2) / (n - 1);
            }
            double[] feature = new double[n];
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                feature[i] = Math.tanh((baseline[i] - model[i]) / Math.sqrt(variance));
                rows.add(i);
            }
            for (int k = 0; k < cs.length; k++) {
                double[] w = L1Logistic.fit(feature, preferences, rows, cs[k]);
                JsonNode expected = fit.get("weights_by_c").get(k);
                double scale = Math.max(1, Math.abs(expected.get(0).asDouble()) + Math.abs(expected.get(1).asDouble()));
                assertThat(w[0]).as("C=%s", cs[k]).isCloseTo(expected.get(0).asDouble(), within(2e-3 * scale));
                assertThat(w[1]).as("C=%s", cs[k]).isCloseTo(expected.get(1).asDouble(), within(2e-3 * scale));
            }
        }
    }

    /** With no length difference to explain, the controlled win rate is the raw one (up to the L1 penalty's pull to 50 %). */
    @Test
    void equalLengthsLeaveTheWinRateAsItIs() {
        double[] preferences = {1, 1, 1, 0, 1, 0.5, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
        double[] lengths = new double[preferences.length];
        java.util.Arrays.fill(lengths, 300);
        LengthControlledWinRate.Result result = LengthControlledWinRate.fit(preferences, lengths, lengths);
        assertThat(result.lengthWeight()).isZero();
        assertThat(result.winRate()).isCloseTo(0.825, within(1e-12));
        assertThat(result.lengthControlledWinRate()).isBetween(0.5, 0.825);
    }
}
