package org.instruct4j.train.reward;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.Comparisons;
import org.instruct4j.train.preference.EncodedGroup;

/**
 * How a reward model does on held-out prompts: pairwise accuracy (the better response scored higher; an exact tie
 * counts one half), the mean pairwise loss and margin r_high - r_low, and the rewards of every response grouped by
 * the model (source) that wrote it, whose distributions show what the model learned to prefer.
 */
public record RewardEvaluation(int pairs, double accuracy, double loss, double margin, Map<String, double[]> rewardsBySource,
                               Map<String, double[]> scoresBySource) {

    /** Scores every response of {@code groups} once and compares the pairs. */
    public static RewardEvaluation of(RewardModel model, List<EncodedGroup> groups, int batchSize) {
        List<int[]> sequences = new ArrayList<>();
        for (EncodedGroup group : groups) {
            group.responses().stream().map(EncodedExample::tokens).forEach(sequences::add);
        }
        double[] rewards = model.scoreSequences(sequences, batchSize);
        Map<String, List<Double>> bySource = new LinkedHashMap<>();
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        double right = 0, loss = 0, margin = 0;
        int pairs = 0, offset = 0;
        for (EncodedGroup group : groups) {
            List<ComparisonGroup.RatedResponse> responses = group.group().responses();
            for (int i = 0; i < responses.size(); i++) {
                bySource.computeIfAbsent(responses.get(i).source(), s -> new ArrayList<>()).add(rewards[offset + i]);
                scores.computeIfAbsent(responses.get(i).source(), s -> new ArrayList<>()).add(responses.get(i).score());
            }
            for (ComparisonGroup.Pair pair : group.pairs()) {
                double difference = rewards[offset + pair.higher()] - rewards[offset + pair.lower()];
                right += Comparisons.credit(difference);
                loss += softplus(-difference);
                margin += difference;
                pairs++;
            }
            offset += responses.size();
        }
        return new RewardEvaluation(pairs, right / pairs, loss / pairs, margin / pairs, arrays(bySource), arrays(scores));
    }

    /** -log sigmoid(-x), computed without overflow. */
    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static Map<String, double[]> arrays(Map<String, List<Double>> lists) {
        Map<String, double[]> arrays = new LinkedHashMap<>();
        lists.forEach((source, values) -> arrays.put(source, values.stream().mapToDouble(Double::doubleValue).toArray()));
        return arrays;
    }

    /** Per source: how many responses, and the mean, standard deviation, minimum, median and maximum reward. */
    public ObjectNode bySourceJson() {
        ObjectNode json = Json.object();
        rewardsBySource.forEach((source, values) -> {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(values).average().orElse(Double.NaN);
            double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
            ObjectNode row = json.putObject(source);
            row.put("responses", values.length);
            row.put("mean", round(mean));
            row.put("std", round(Math.sqrt(variance)));
            row.put("min", round(sorted[0]));
            row.put("median", round(sorted[sorted.length / 2]));
            row.put("max", round(sorted[sorted.length - 1]));
            row.put("mean_data_score", round(Arrays.stream(scoresBySource.get(source)).average().orElse(Double.NaN)));
        });
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
