package org.instruct4j.train.config;

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
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/**
 * The settings every recipe (SFT, reward model, DPO) shares: base model, data, output, prompt template, length
 * limit, optimiser and schedule, batching, precision, held-out split, checkpoints, LoRA and runtime. Each recipe
 * picks its own defaults ({@link Defaults}) and adds its own settings beside these.
 */
public record TrainingOptions(Path base, Path tokenizer, Path data, Path output, String template, int maxLength,
                              int epochs, int maxSteps, Duration maxTime, double lr, String lrScheduler,
                              double warmupRatio, double weightDecay, double adamBeta1, double adamBeta2,
                              double adamEpsilon, double maxGradNorm, int batchSize, int microBatchSize,
                              Precision precision, long seed, double evalFraction, int evalSteps, int saveSteps,
                              int saveTotalLimit, int loggingSteps, boolean lora, int loraR, double loraAlpha,
                              double loraDropout, List<String> loraTargetModules, int threads, boolean quiet,
                              boolean resume) {

    /** The defaults that differ between recipes; {@code data} and {@code batch} describe what a row and a batch are. */
    public record Defaults(String data, String batch, int maxLength, int epochs, double lr, int batchSize,
                           int microBatchSize, double evalFraction) {}

    /** Settings that may differ when a run is resumed, because they do not change what is computed. */
    public static final List<String> RESUMABLE_CHANGES = List.of("quiet", "resume", "max-time", "threads", "save-steps",
            "save-total-limit", "base", "tokenizer", "data", "output");

    public TrainingOptions {
        positive("max-length", maxLength);
        positive("epochs", epochs);
        positive("batch-size", batchSize);
        positive("micro-batch-size", microBatchSize);
        positive("logging-steps", loggingSteps);
        positive("save-total-limit", saveTotalLimit);
        if (batchSize % microBatchSize != 0) {
            throw new BadInputException("batch-size " + batchSize + " is not a multiple of micro-batch-size "
                    + microBatchSize + " (gradient accumulation needs whole micro-batches)");
        }
        if (lr <= 0) {
            throw new BadInputException("lr must be positive, got " + lr);
        }
        if (warmupRatio < 0 || warmupRatio >= 1) {
            throw new BadInputException("warmup-ratio must be in [0, 1), got " + warmupRatio);
        }
        if (evalFraction < 0 || evalFraction >= 1) {
            throw new BadInputException("eval-fraction must be in [0, 1), got " + evalFraction);
        }
        if (maxSteps < 0 || saveSteps < 0 || evalSteps < 0 || threads < 0 || weightDecay < 0 || maxGradNorm < 0) {
            throw new BadInputException("max-steps, save-steps, eval-steps, threads, weight-decay and max-grad-norm cannot be negative");
        }
        if (lora) {
            new LoraSpec(loraR, loraAlpha, loraDropout, loraTargetModules);
        }
        loraTargetModules = List.copyOf(loraTargetModules);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new BadInputException(name + " must be positive, got " + value);
        }
    }

    /** The shared settings with a recipe's defaults, in the order they are documented and written. */
    public static List<ConfigKey> keys(Defaults d) {
        return List.of(
                ConfigKey.of("base", PATH, null, "base model: a Hugging Face model directory, or a llama2.c .bin (then give tokenizer)"),
                ConfigKey.of("tokenizer", PATH, null, "tokenizer file or directory, for a llama2.c base"),
                ConfigKey.of("data", PATH, null, d.data()),
                ConfigKey.of("output", PATH, null, "run directory: final model, checkpoints/, metrics.jsonl, the resolved settings"),
                ConfigKey.choice("template", "alpaca", "prompt template: alpaca (the paper's) or chat (tokenizer_config.json's chat_template)", "alpaca", "chat"),
                ConfigKey.of("max-length", INT, d.maxLength(), "longest sequence in tokens (prompt + response + EOS); longer ones are truncated"),
                ConfigKey.of("epochs", INT, d.epochs(), "passes over the training data"),
                ConfigKey.of("max-steps", INT, 0, "stop after this many optimizer steps (0 = the epochs decide); the schedule spans them"),
                ConfigKey.of("max-time", DURATION, Duration.ZERO, "stop and save after this long, e.g. 30m (0 = no limit); the schedule is not shortened"),
                ConfigKey.of("lr", DOUBLE, d.lr(), "peak learning rate"),
                ConfigKey.choice("lr-scheduler", "cosine", "learning-rate schedule after warmup", "cosine", "linear", "constant"),
                ConfigKey.of("warmup-ratio", DOUBLE, 0.03, "fraction of the steps spent warming up linearly from 0"),
                ConfigKey.of("weight-decay", DOUBLE, 0.0, "AdamW decoupled weight decay"),
                ConfigKey.of("adam-beta1", DOUBLE, 0.9, "AdamW beta1"),
                ConfigKey.of("adam-beta2", DOUBLE, 0.999, "AdamW beta2"),
                ConfigKey.of("adam-epsilon", DOUBLE, 1e-8, "AdamW epsilon"),
                ConfigKey.of("max-grad-norm", DOUBLE, 1.0, "clip the global gradient norm to this (0 = no clipping)"),
                ConfigKey.of("batch-size", INT, d.batchSize(), "global batch: " + d.batch() + " per optimizer step"),
                ConfigKey.of("micro-batch-size", INT, d.microBatchSize(), d.batch() + " per forward/backward pass; batch-size / micro-batch-size passes are accumulated"),
                ConfigKey.choice("precision", "auto", "compute precision: bf16 (fp32 master weights and optimizer state), fp32, or auto "
                        + "(bf16 where the hardware has bf16 arithmetic: GPU, AVX512-BF16, AMX; else fp32)", "auto", "bf16", "fp32"),
                ConfigKey.of("seed", LONG, 42L, "seed of the data order, the eval split, LoRA initialisation and dropout"),
                ConfigKey.of("eval-fraction", DOUBLE, d.evalFraction(), "fraction of the rows held out for evaluation (0 = none)"),
                ConfigKey.of("eval-steps", INT, 50, "evaluate on the held-out rows every this many steps (and at the end)"),
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
    }

    /** A recipe's keys: the shared ones, then {@code own}. */
    public static List<ConfigKey> keys(Defaults d, ConfigKey... own) {
        List<ConfigKey> all = new java.util.ArrayList<>(keys(d));
        all.addAll(List.of(own));
        return List.copyOf(all);
    }

    @SuppressWarnings("unchecked")
    public static TrainingOptions from(ConfigValues v) {
        return new TrainingOptions((Path) v.get("base"), (Path) v.get("tokenizer"), (Path) v.get("data"), (Path) v.get("output"),
                (String) v.get("template"), (int) v.get("max-length"), (int) v.get("epochs"), (int) v.get("max-steps"),
                (Duration) v.get("max-time"), (double) v.get("lr"), (String) v.get("lr-scheduler"),
                (double) v.get("warmup-ratio"), (double) v.get("weight-decay"), (double) v.get("adam-beta1"),
                (double) v.get("adam-beta2"), (double) v.get("adam-epsilon"), (double) v.get("max-grad-norm"),
                (int) v.get("batch-size"), (int) v.get("micro-batch-size"), precision((String) v.get("precision")),
                (long) v.get("seed"), (double) v.get("eval-fraction"), (int) v.get("eval-steps"), (int) v.get("save-steps"),
                (int) v.get("save-total-limit"), (int) v.get("logging-steps"), (boolean) v.get("lora"), (int) v.get("lora-r"),
                (double) v.get("lora-alpha"), (double) v.get("lora-dropout"), (List<String>) v.get("lora-target-modules"),
                (int) v.get("threads"), (boolean) v.get("quiet"), (boolean) v.get("resume"));
    }

    private static Precision precision(String name) {
        return name.equals("auto") ? Precision.fastest(Tensors.defaultDevice()) : Precision.parse(name);
    }

    /** Writes these settings into {@code v} (which holds the shared keys and perhaps a recipe's own). */
    public ConfigValues writeTo(ConfigValues v) {
        Object[] all = {base, tokenizer, data, output, template, maxLength, epochs, maxSteps, maxTime, lr, lrScheduler,
            warmupRatio, weightDecay, adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, batchSize, microBatchSize,
            precision == Precision.BF16 ? "bf16" : "fp32", seed, evalFraction, evalSteps, saveSteps, saveTotalLimit,
            loggingSteps, lora, loraR, loraAlpha, loraDropout, loraTargetModules, threads, quiet, resume};
        List<ConfigKey> shared = keys(new Defaults("", "", 1, 1, 1, 1, 1, 0));
        for (int i = 0; i < all.length; i++) {
            v.set(shared.get(i).name(), ConfigKey.format(all[i]), "config");
        }
        return v;
    }

    public LoraSpec loraSpec() {
        return new LoraSpec(loraR, loraAlpha, loraDropout, loraTargetModules);
    }

    public int accumulationSteps() {
        return batchSize / microBatchSize;
    }
}
