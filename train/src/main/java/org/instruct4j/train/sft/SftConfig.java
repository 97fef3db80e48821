package org.instruct4j.train.sft;

import static org.instruct4j.train.config.ConfigKey.Type.BOOLEAN;
import static org.instruct4j.train.config.ConfigKey.Type.DOUBLE;
import static org.instruct4j.train.config.ConfigKey.Type.DURATION;
import static org.instruct4j.train.config.ConfigKey.Type.INT;
import static org.instruct4j.train.config.ConfigKey.Type.LIST;
import static org.instruct4j.train.config.ConfigKey.Type.LONG;
import static org.instruct4j.train.config.ConfigKey.Type.PATH;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.config.ConfigKey;
import org.instruct4j.train.config.ConfigValues;

/**
 * Every setting of a supervised fine-tuning run. The defaults are GPT-4-LLM's recipe (stanford_alpaca's
 * train.py as the paper ran it): Alpaca template, max length 512, 3 epochs, learning rate 2e-5, cosine
 * schedule with 3 % warmup, no weight decay, global batch 64 through gradient accumulation, gradient
 * clipping at 1.0, AdamW. LoRA defaults are alpaca-lora's.
 */
public record SftConfig(Path base, Path tokenizer, Path data, Path output, String template, int maxLength,
                        int epochs, int maxSteps, Duration maxTime, double lr, String lrScheduler, double warmupRatio,
                        double weightDecay, double adamBeta1, double adamBeta2, double adamEpsilon, double maxGradNorm,
                        int batchSize, int microBatchSize, boolean packing, Precision precision, long seed,
                        double evalFraction, int evalSteps, int saveSteps, int saveTotalLimit, int loggingSteps,
                        boolean lora, int loraR, double loraAlpha, double loraDropout, List<String> loraTargetModules,
                        int threads, boolean quiet, boolean resume) {

    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.of("base", PATH, null, "base model: a Hugging Face model directory, or a llama2.c .bin (then give tokenizer)"),
            ConfigKey.of("tokenizer", PATH, null, "tokenizer file or directory, for a llama2.c base"),
            ConfigKey.of("data", PATH, null, "training data: Alpaca JSON array or JSONL of {instruction, input, output}"),
            ConfigKey.of("output", PATH, null, "run directory: final model, checkpoints/, metrics.jsonl, sft_config.yaml"),
            ConfigKey.choice("template", "alpaca", "prompt template: alpaca (the paper's) or chat (tokenizer_config.json's chat_template)", "alpaca", "chat"),
            ConfigKey.of("max-length", INT, 512, "longest sequence in tokens (prompt + response + EOS); longer ones are truncated"),
            ConfigKey.of("epochs", INT, 3, "passes over the training data"),
            ConfigKey.of("max-steps", INT, 0, "stop after this many optimizer steps (0 = the epochs decide); the schedule spans them"),
            ConfigKey.of("max-time", DURATION, Duration.ZERO, "stop and save after this long, e.g. 30m (0 = no limit); the schedule is not shortened"),
            ConfigKey.of("lr", DOUBLE, 2e-5, "peak learning rate"),
            ConfigKey.choice("lr-scheduler", "cosine", "learning-rate schedule after warmup", "cosine", "linear", "constant"),
            ConfigKey.of("warmup-ratio", DOUBLE, 0.03, "fraction of the steps spent warming up linearly from 0"),
            ConfigKey.of("weight-decay", DOUBLE, 0.0, "AdamW decoupled weight decay"),
            ConfigKey.of("adam-beta1", DOUBLE, 0.9, "AdamW beta1"),
            ConfigKey.of("adam-beta2", DOUBLE, 0.999, "AdamW beta2"),
            ConfigKey.of("adam-epsilon", DOUBLE, 1e-8, "AdamW epsilon"),
            ConfigKey.of("max-grad-norm", DOUBLE, 1.0, "clip the global gradient norm to this (0 = no clipping)"),
            ConfigKey.of("batch-size", INT, 64, "global batch: sequences per optimizer step"),
            ConfigKey.of("micro-batch-size", INT, 4, "sequences per forward/backward pass; batch-size / micro-batch-size passes are accumulated"),
            ConfigKey.of("packing", BOOLEAN, false, "pack several examples into each sequence (attention and positions kept separate per example)"),
            ConfigKey.choice("precision", "auto", "compute precision: bf16 (fp32 master weights and optimizer state), fp32, or auto "
                    + "(bf16 where the hardware has bf16 arithmetic: GPU, AVX512-BF16, AMX; else fp32)", "auto", "bf16", "fp32"),
            ConfigKey.of("seed", LONG, 42L, "seed of the data order, the eval split, LoRA initialisation and dropout"),
            ConfigKey.of("eval-fraction", DOUBLE, 0.0, "fraction of the rows held out to measure eval loss (0 = none)"),
            ConfigKey.of("eval-steps", INT, 50, "evaluate the held-out loss every this many steps (and at the end)"),
            ConfigKey.of("save-steps", INT, 100, "write a resumable checkpoint every this many steps (0 = only at the end)"),
            ConfigKey.of("save-total-limit", INT, 2, "checkpoints to keep (the oldest are deleted)"),
            ConfigKey.of("logging-steps", INT, 1, "append a metrics.jsonl row every this many steps"),
            ConfigKey.of("lora", BOOLEAN, false, "train LoRA adapters instead of all weights"),
            ConfigKey.of("lora-r", INT, 8, "LoRA rank"),
            ConfigKey.of("lora-alpha", DOUBLE, 16.0, "LoRA alpha (updates are scaled by alpha / r)"),
            ConfigKey.of("lora-dropout", DOUBLE, 0.05, "dropout on the LoRA input"),
            ConfigKey.of("lora-target-modules", LIST, List.of("q_proj", "v_proj"), "layers that get adapters, comma-separated"),
            ConfigKey.of("threads", INT, 0, "libtorch intra-op threads (0 = one per core)"),
            ConfigKey.of("quiet", BOOLEAN, false, "no progress bar"),
            ConfigKey.of("resume", BOOLEAN, false, "continue the run in output from its last checkpoint"));

    /** Settings that may differ when a run is resumed, because they do not change what is computed. */
    static final List<String> RESUMABLE_CHANGES = List.of("quiet", "resume", "max-time", "threads", "save-steps",
            "save-total-limit", "base", "tokenizer", "data", "output");

    public SftConfig {
        positive("max-length", maxLength);
        positive("epochs", epochs);
        positive("batch-size", batchSize);
        positive("micro-batch-size", microBatchSize);
        positive("logging-steps", loggingSteps);
        positive("save-total-limit", saveTotalLimit);
        if (batchSize % microBatchSize != 0) {
            throw new IllegalArgumentException("batch-size " + batchSize + " is not a multiple of micro-batch-size "
                    + microBatchSize + " (gradient accumulation needs whole micro-batches)");
        }
        if (lr <= 0) {
            throw new IllegalArgumentException("lr must be positive, got " + lr);
        }
        if (warmupRatio < 0 || warmupRatio >= 1) {
            throw new IllegalArgumentException("warmup-ratio must be in [0, 1), got " + warmupRatio);
        }
        if (evalFraction < 0 || evalFraction >= 1) {
            throw new IllegalArgumentException("eval-fraction must be in [0, 1), got " + evalFraction);
        }
        if (maxSteps < 0 || saveSteps < 0 || evalSteps < 0 || threads < 0 || weightDecay < 0 || maxGradNorm < 0) {
            throw new IllegalArgumentException("max-steps, save-steps, eval-steps, threads, weight-decay and max-grad-norm cannot be negative");
        }
        if (lora) {
            loraSpec(loraR, loraAlpha, loraDropout, loraTargetModules);
        }
        loraTargetModules = List.copyOf(loraTargetModules);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static LoraSpec loraSpec(int r, double alpha, double dropout, List<String> targets) {
        return new LoraSpec(r, alpha, dropout, targets);
    }

    /** The paper's defaults, then {@code yaml} (may be null), then {@code --key=value} overrides. */
    public static SftConfig resolve(Path yaml, List<String> overrides) {
        return from(values(yaml, overrides));
    }

    public static ConfigValues values(Path yaml, List<String> overrides) {
        ConfigValues values = new ConfigValues(KEYS);
        if (yaml != null) {
            values.applyYaml(yaml);
        }
        return values.applyOverrides(overrides);
    }

    public static SftConfig defaults() {
        return from(new ConfigValues(KEYS));
    }

    /** A copy with more {@code --key=value} overrides applied. */
    public SftConfig with(String... overrides) {
        ConfigValues values = toValues();
        values.applyOverrides(List.of(overrides));
        return from(values);
    }

    @SuppressWarnings("unchecked")
    public static SftConfig from(ConfigValues v) {
        return new SftConfig((Path) v.get("base"), (Path) v.get("tokenizer"), (Path) v.get("data"), (Path) v.get("output"),
                (String) v.get("template"), (int) v.get("max-length"), (int) v.get("epochs"), (int) v.get("max-steps"),
                (Duration) v.get("max-time"), (double) v.get("lr"), (String) v.get("lr-scheduler"),
                (double) v.get("warmup-ratio"), (double) v.get("weight-decay"), (double) v.get("adam-beta1"),
                (double) v.get("adam-beta2"), (double) v.get("adam-epsilon"), (double) v.get("max-grad-norm"),
                (int) v.get("batch-size"), (int) v.get("micro-batch-size"), (boolean) v.get("packing"),
                precision((String) v.get("precision")), (long) v.get("seed"), (double) v.get("eval-fraction"),
                (int) v.get("eval-steps"), (int) v.get("save-steps"), (int) v.get("save-total-limit"),
                (int) v.get("logging-steps"), (boolean) v.get("lora"), (int) v.get("lora-r"), (double) v.get("lora-alpha"),
                (double) v.get("lora-dropout"), (List<String>) v.get("lora-target-modules"), (int) v.get("threads"),
                (boolean) v.get("quiet"), (boolean) v.get("resume"));
    }

    private static Precision precision(String name) {
        return name.equals("auto") ? Precision.fastest(Tensors.defaultDevice()) : Precision.parse(name);
    }

    /** These settings as {@link ConfigValues} (to write them as YAML or apply more overrides). */
    public ConfigValues toValues() {
        ConfigValues v = new ConfigValues(KEYS);
        Object[] all = {base, tokenizer, data, output, template, maxLength, epochs, maxSteps, maxTime, lr, lrScheduler,
            warmupRatio, weightDecay, adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, batchSize, microBatchSize, packing,
            precision == Precision.BF16 ? "bf16" : "fp32", seed, evalFraction, evalSteps, saveSteps, saveTotalLimit,
            loggingSteps, lora, loraR, loraAlpha, loraDropout, loraTargetModules, threads, quiet, resume};
        for (int i = 0; i < all.length; i++) {
            ConfigKey key = KEYS.get(i);
            v.set(key.name(), all[i] == null ? "null" : ConfigKey.format(all[i]), "config");
        }
        return v;
    }

    public LoraSpec loraSpec() {
        return loraSpec(loraR, loraAlpha, loraDropout, loraTargetModules);
    }

    public int accumulationSteps() {
        return batchSize / microBatchSize;
    }
}
