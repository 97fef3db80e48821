package org.instruct4j.train.sft;

import static org.instruct4j.train.config.ConfigKey.Type.BOOLEAN;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.train.config.ConfigKey;
import org.instruct4j.train.config.ConfigValues;
import org.instruct4j.train.config.TrainingOptions;

/**
 * Every setting of a supervised fine-tuning run. The defaults are GPT-4-LLM's recipe (stanford_alpaca's
 * train.py as the paper ran it): Alpaca template, max length 512, 3 epochs, learning rate 2e-5, cosine
 * schedule with 3 % warmup, no weight decay, global batch 64 through gradient accumulation, gradient
 * clipping at 1.0, AdamW. LoRA defaults are alpaca-lora's.
 */
public record SftConfig(TrainingOptions training, boolean packing) {
    static final TrainingOptions.Defaults DEFAULTS = new TrainingOptions.Defaults(
            "training data: Alpaca JSON array or JSONL of {instruction, input, output}", "sequences", 512, 3, 2e-5, 64, 4, 0.0);

    public static final List<ConfigKey> KEYS = TrainingOptions.keys(DEFAULTS,
            ConfigKey.of("packing", BOOLEAN, false, "pack several examples into each sequence (attention and positions kept separate per example)"));

    /** The paper's defaults, then {@code yaml} (may be null), then {@code --key=value} overrides. */
    public static SftConfig resolve(Path yaml, List<String> overrides) {
        return from(ConfigValues.resolve(KEYS, yaml, overrides));
    }

    public static SftConfig defaults() {
        return from(new ConfigValues(KEYS));
    }

    /** A copy with more {@code --key=value} overrides applied. */
    public SftConfig with(String... overrides) {
        return from(toValues().applyOverrides(List.of(overrides)));
    }

    public static SftConfig from(ConfigValues v) {
        return new SftConfig(TrainingOptions.from(v), (boolean) v.get("packing"));
    }

    /** These settings as {@link ConfigValues} (to write them as YAML or apply more overrides). */
    public ConfigValues toValues() {
        return training.writeTo(new ConfigValues(KEYS)).set("packing", String.valueOf(packing), "config");
    }
}
