package org.instruct4j.train.reward;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.run.Evaluation;

/**
 * How a reward model does on held-out prompts: pairwise accuracy (the better response scored higher; an exact tie
 * counts one half), the mean pairwise loss and margin r_high - r_low, the rewards of every response grouped by
 * the model (source) that wrote it, whose distributions show what the model learned to prefer, and the accuracy of
 * the length-only baseline on the same pairs (the longer response wins), which a reward model must beat. Read back
 * from metrics.jsonl or train_summary.json it has the numbers but not the distributions.
 */
public record RewardEvaluation(int pairs, double accuracy, double loss, double margin, double lengthBaseline,
                               Map<String, double[]> rewardsBySource, Map<String, double[]> scoresBySource) implements Evaluation {

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
        return new RewardEvaluation(pairs, right / pairs, loss / pairs, margin / pairs,
                Comparisons.longerWins(PreferenceData.comparisons(groups)), arrays(bySource), arrays(scores));
    }

    static RewardEvaluation from(JsonNode json) {
        return new RewardEvaluation(json.path("eval_pairs").asInt(), json.path("eval_accuracy").asDouble(),
                json.path("eval_loss").asDouble(), json.path("eval_margin").asDouble(),
                json.path("eval_length_baseline").asDouble(Double.NaN), Map.of(), Map.of());
    }

    @Override
    public void putInto(ObjectNode row) {
        row.put("eval_pairs", pairs);
        row.put("eval_accuracy", accuracy);
        row.put("eval_loss", loss);
        row.put("eval_margin", margin);
        row.put("eval_length_baseline", lengthBaseline);
        ObjectNode means = row.putObject("eval_mean_reward_by_source");
        bySourceJson().properties().forEach(e -> means.put(e.getKey(), e.getValue().get("mean").asDouble()));
    }

    @Override
    public void putSummaryInto(ObjectNode json) {
        putInto(json);
        json.set("eval_rewards_by_source", bySourceJson());
    }

    @Override
    public String describe() {
        return String.format("held-out pairwise accuracy %.4f (longer response wins: %.4f), margin %.4f", accuracy,
                lengthBaseline, margin);
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
