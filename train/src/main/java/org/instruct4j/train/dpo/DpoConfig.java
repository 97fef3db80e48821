package org.instruct4j.train.dpo;

import static org.instruct4j.train.config.ConfigKey.Type.DOUBLE;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.train.config.ConfigKey;
import org.instruct4j.train.config.ConfigValues;
import org.instruct4j.train.config.TrainingOptions;

/**
 * Every setting of a DPO run: the settings all recipes share, with the defaults of Zephyr's DPO recipe (one epoch,
 * learning rate 5e-7, cosine schedule) and TRL's beta of 0.1; 10 % of the prompts are held out to measure reward
 * accuracy and margins.
 */
public record DpoConfig(TrainingOptions training, double beta, String referenceEngine) {
    static final TrainingOptions.Defaults DEFAULTS = new TrainingOptions.Defaults(
            "comparison data (chosen = the higher-scored response): v2 {user_input, responses_and_scores}, v1, "
                    + "{instruction, input, output: [chosen, rejected]} or {prompt, chosen, rejected}; JSON array or JSONL",
            "preference pairs", 512, 1, 5e-7, 32, 2, 0.1);

    public static final List<ConfigKey> KEYS = TrainingOptions.keys(DEFAULTS,
            ConfigKey.of("beta", DOUBLE, 0.1, "DPO beta: how far the policy may move from the reference (smaller = further)"),
            ConfigKey.choice("reference-engine", "auto", "engine that computes the reference model's log-probabilities "
                    + "(once, before training): java (the CPU engine), torch, auto (java on the CPU)", "auto", "java", "torch"));

    public DpoConfig {
        if (beta <= 0) {
            throw new IllegalArgumentException("beta must be positive, got " + beta);
        }
    }

    /** The defaults, then {@code yaml} (may be null), then {@code --key=value} overrides. */
    public static DpoConfig resolve(Path yaml, List<String> overrides) {
        return from(ConfigValues.resolve(KEYS, yaml, overrides));
    }

    public static DpoConfig defaults() {
        return from(new ConfigValues(KEYS));
    }

    /** A copy with more {@code --key=value} overrides applied. */
    public DpoConfig with(String... overrides) {
        return from(toValues().applyOverrides(List.of(overrides)));
    }

    public static DpoConfig from(ConfigValues v) {
        return new DpoConfig(TrainingOptions.from(v), (double) v.get("beta"), (String) v.get("reference-engine"));
    }

    public ConfigValues toValues() {
        return training.writeTo(new ConfigValues(KEYS)).set("beta", String.valueOf(beta), "config")
                .set("reference-engine", referenceEngine, "config");
    }
}
