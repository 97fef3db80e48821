package org.instruct4j.train.reward;

import static org.instruct4j.train.config.ConfigKey.Type.DOUBLE;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.train.config.ConfigKey;
import org.instruct4j.train.config.ConfigValues;
import org.instruct4j.train.config.TrainingOptions;

/**
 * Every setting of a reward-model run: the settings all recipes share, with InstructGPT's reward-model choices
 * as defaults (GPT-4-LLM published none): one epoch (more overfits), 64 prompts per step, learning rate 1e-5,
 * cosine schedule; 10 % of the prompts held out to measure pairwise accuracy. {@code scoreMargin} > 0 asks the
 * model to separate pairs by at least that much per point of score difference.
 */
public record RewardConfig(TrainingOptions training, double scoreMargin) {
    static final TrainingOptions.Defaults DEFAULTS = new TrainingOptions.Defaults(
            "comparison data: v2 {user_input, responses_and_scores}, v1 {user_input, completion_a, completion_b}, "
                    + "{instruction, input, output: [chosen, rejected]} or {prompt, chosen, rejected}; JSON array or JSONL",
            "prompts (each with all its pairs)", 512, 1, 1e-5, 64, 4, 0.1);

    public static final List<ConfigKey> KEYS = TrainingOptions.keys(DEFAULTS,
            ConfigKey.of("score-margin", DOUBLE, 0.0, "margin per point of score difference in -log sigmoid(r_high - r_low - "
                    + "margin * (score_high - score_low)) (0 = the plain pairwise loss)"));

    public RewardConfig {
        if (scoreMargin < 0) {
            throw new BadInputException("score-margin cannot be negative, got " + scoreMargin);
        }
    }

    /** The defaults, then {@code yaml} (may be null), then {@code --key=value} overrides. */
    public static RewardConfig resolve(Path yaml, List<String> overrides) {
        return from(ConfigValues.resolve(KEYS, yaml, overrides));
    }

    public static RewardConfig defaults() {
        return from(new ConfigValues(KEYS));
    }

    /** A copy with more {@code --key=value} overrides applied. */
    public RewardConfig with(String... overrides) {
        return from(toValues().applyOverrides(List.of(overrides)));
    }

    public static RewardConfig from(ConfigValues v) {
        return new RewardConfig(TrainingOptions.from(v), (double) v.get("score-margin"));
    }

    public ConfigValues toValues() {
        return training.writeTo(new ConfigValues(KEYS)).set("score-margin", String.valueOf(scoreMargin), "config");
    }
}
