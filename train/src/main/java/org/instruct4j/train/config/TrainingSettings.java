package org.instruct4j.train.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/**
 * The settings every recipe (SFT, reward model, DPO) shares: base model, data, output, prompt format, length
 * limit, optimiser and schedule, batching, precision, held-out split, checkpoints, LoRA and runtime. Each is declared
 * here once; a recipe takes {@link #schema} with its own defaults and adds its own settings.
 */
public final class TrainingSettings {
    private TrainingSettings() {}

    private static final String POSITIVE = "must be positive";
    private static final String NOT_NEGATIVE = "cannot be negative";

    public static final Setting<Path> BASE = Setting.path("base",
            "base model: a Hugging Face model directory, or a llama2.c .bin (then give tokenizer)").resumable();
    public static final Setting<Path> TOKENIZER = Setting.path("tokenizer", "tokenizer file or directory, for a llama2.c base").resumable();
    public static final Setting<Path> DATA = Setting.path("data", "training data").resumable();
    public static final Setting<Path> OUTPUT = Setting.path("output",
            "run directory: final model, checkpoints/, metrics.jsonl, the resolved settings").resumable();
    public static final Setting<String> PROMPT_FORMAT = Setting.choice("prompt-format", "alpaca",
            "how examples become text: alpaca (the paper's template), chat (the base's chat_template from tokenizer_config.json) or "
                    + "raw (the texts joined); recorded in the output, which later commands then read with it",
            "alpaca", "chat", "raw");
    public static final Setting<Integer> MAX_LENGTH = Setting.integer("max-length", 512,
            "longest sequence in tokens (prompt + response + EOS); longer ones are truncated").must(v -> v > 0, POSITIVE);
    public static final Setting<Integer> EPOCHS = Setting.integer("epochs", 3, "passes over the training data").must(v -> v > 0, POSITIVE);
    public static final Setting<Integer> MAX_STEPS = Setting.integer("max-steps", 0,
            "stop after this many optimizer steps (0 = the epochs decide); the schedule spans them").must(v -> v >= 0, NOT_NEGATIVE);
    public static final Setting<Duration> MAX_TIME = Setting.duration("max-time", Duration.ZERO,
            "stop and save after this long, e.g. 30m (0 = no limit); the schedule is not shortened").resumable();
    public static final Setting<Double> LR = Setting.number("lr", 2e-5, "peak learning rate").must(v -> v > 0, POSITIVE);
    public static final Setting<String> LR_SCHEDULER = Setting.choice("lr-scheduler", "cosine", "learning-rate schedule after warmup",
            "cosine", "linear", "constant");
    public static final Setting<Double> WARMUP_RATIO = Setting.number("warmup-ratio", 0.03,
            "fraction of the steps spent warming up linearly from 0").must(v -> v >= 0 && v < 1, "must be in [0, 1)");
    public static final Setting<Double> WEIGHT_DECAY = Setting.number("weight-decay", 0.0, "AdamW decoupled weight decay")
            .must(v -> v >= 0, NOT_NEGATIVE);
    public static final Setting<Double> ADAM_BETA1 = Setting.number("adam-beta1", 0.9, "AdamW beta1");
    public static final Setting<Double> ADAM_BETA2 = Setting.number("adam-beta2", 0.999, "AdamW beta2");
    public static final Setting<Double> ADAM_EPSILON = Setting.number("adam-epsilon", 1e-8, "AdamW epsilon");
    public static final Setting<Double> MAX_GRAD_NORM = Setting.number("max-grad-norm", 1.0,
            "clip the global gradient norm to this (0 = no clipping)").must(v -> v >= 0, NOT_NEGATIVE);
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size", 64, "global batch per optimizer step")
            .must(v -> v > 0, POSITIVE);
    public static final Setting<Integer> MICRO_BATCH_SIZE = Setting.integer("micro-batch-size", 4,
            "rows per forward/backward pass; batch-size / micro-batch-size passes are accumulated").must(v -> v > 0, POSITIVE);
    public static final Setting<String> PRECISION = Setting.choice("precision", "auto", "compute precision: bf16 (fp32 master "
            + "weights and optimizer state), fp32, or auto (bf16 where the hardware has bf16 arithmetic: GPU, AVX512-BF16, AMX; "
            + "else fp32)", "auto", "bf16", "fp32");
    public static final Setting<Long> SEED = Setting.longInteger("seed", 42L,
            "seed of the data order, the eval split, LoRA initialisation and dropout");
    public static final Setting<Double> EVAL_FRACTION = Setting.number("eval-fraction", 0.0,
            "fraction of the rows held out for evaluation (0 = none)").must(v -> v >= 0 && v < 1, "must be in [0, 1)");
    public static final Setting<Integer> EVAL_STEPS = Setting.integer("eval-steps", 50,
            "evaluate on the held-out rows every this many steps (and at the end)").must(v -> v >= 0, NOT_NEGATIVE);
    public static final Setting<Integer> SAVE_STEPS = Setting.integer("save-steps", 100,
            "write a resumable checkpoint every this many steps (0 = only at the end)").must(v -> v >= 0, NOT_NEGATIVE).resumable();
    public static final Setting<Integer> SAVE_TOTAL_LIMIT = Setting.integer("save-total-limit", 2,
            "checkpoints to keep (the oldest are deleted)").must(v -> v > 0, POSITIVE).resumable();
    public static final Setting<Integer> LOGGING_STEPS = Setting.integer("logging-steps", 1,
            "append a metrics.jsonl row every this many steps").must(v -> v > 0, POSITIVE);
    public static final Setting<Boolean> LORA = Setting.flag("lora", false, "train LoRA adapters instead of all weights");
    public static final Setting<Integer> LORA_R = Setting.integer("lora-r", 8, "LoRA rank");
    public static final Setting<Double> LORA_ALPHA = Setting.number("lora-alpha", 16.0, "LoRA alpha (updates are scaled by alpha / r)");
    public static final Setting<Double> LORA_DROPOUT = Setting.number("lora-dropout", 0.05, "dropout on the LoRA input");
    public static final Setting<List<String>> LORA_TARGET_MODULES = Setting.list("lora-target-modules", List.of("q_proj", "v_proj"),
            "layers that get adapters, comma-separated");
    public static final Setting<Boolean> GRADIENT_CHECKPOINTING = Setting.flag("gradient-checkpointing", false,
            "keep only each decoder layer's input in the forward pass and recompute the layer in the backward pass: "
                    + "less memory for one more forward pass of compute per step, the same gradients").resumable();
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, "libtorch intra-op threads (0 = one per core)")
            .must(v -> v >= 0, NOT_NEGATIVE).resumable();
    public static final Setting<Integer> CONCURRENT_MICRO_BATCHES = Setting.integer("concurrent-micro-batches", 0,
            "micro-batches computed at once, each on a thread of its own with one libtorch thread (1 = one after another, "
                    + "each spread over the threads; 0 = one per thread on a CPU, 1 with gradient checkpointing, in a "
                    + "distributed run or on a GPU)").must(v -> v >= 0, NOT_NEGATIVE).resumable();
    public static final Setting<Integer> NPROC = Setting.integer("nproc", 1, "processes on this machine (distributed data "
            + "parallel when above 1 or with nnodes above 1: each process trains on its shard of every batch, gradients are "
            + "all-reduced; batch-size stays the global batch); one per GPU on a GPU machine")
            .must(v -> v > 0, POSITIVE).resumable();
    public static final Setting<Integer> NNODES = Setting.integer("nnodes", 1, "machines in a distributed run, each started "
            + "with the same settings and its own node-rank").must(v -> v > 0, POSITIVE).resumable();
    public static final Setting<Integer> NODE_RANK = Setting.integer("node-rank", 0, "this machine's index in a distributed "
            + "run (0 .. nnodes-1); node 0 hosts the rendezvous store").must(v -> v >= 0, NOT_NEGATIVE).resumable();
    public static final Setting<String> MASTER_ADDR = Setting.text("master-addr", "127.0.0.1",
            "address of node 0, where the rendezvous store (c10d TCPStore) listens").resumable();
    public static final Setting<Integer> MASTER_PORT = Setting.integer("master-port", 29500, "port of the rendezvous store on node 0")
            .must(v -> v > 0 && v < 65536, "must be a TCP port (1-65535)").resumable();
    public static final Setting<String> DIST_BACKEND = Setting.choice("dist-backend", "gloo", "collective backend: gloo "
            + "(CPU tensors, over TCP) or nccl (CUDA tensors, one process per GPU; needs the GPU build)", "gloo", "nccl").resumable();
    public static final Setting<Duration> DIST_TIMEOUT = Setting.duration("dist-timeout", Duration.ofMinutes(30),
            "how long a process waits for the others (rendezvous, each collective) before failing").resumable();
    public static final Setting<Boolean> QUIET = Setting.flag("quiet", false, "no progress bar").resumable();
    public static final Setting<Boolean> RESUME = Setting.flag("resume", false, "continue the run in output from its last checkpoint")
            .resumable();

    /**
     * The shared settings, with {@code data} describing what the data file holds and {@code rows} what a row of a
     * batch is ("sequences", "preference pairs"); the rest of the defaults are SFT's, which a recipe replaces with
     * {@link Schema#with}.
     */
    public static Schema schema(String data, String rows) {
        return Schema.of(List.of(BASE, TOKENIZER, DATA.withHelp(data), OUTPUT, PROMPT_FORMAT, MAX_LENGTH, EPOCHS, MAX_STEPS, MAX_TIME,
                        LR, LR_SCHEDULER, WARMUP_RATIO, WEIGHT_DECAY, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, MAX_GRAD_NORM,
                        BATCH_SIZE.withHelp("global batch: " + rows + " per optimizer step"),
                        MICRO_BATCH_SIZE.withHelp(rows + " per forward/backward pass; batch-size / micro-batch-size passes are accumulated"),
                        PRECISION, SEED, EVAL_FRACTION, EVAL_STEPS, SAVE_STEPS, SAVE_TOTAL_LIMIT, LOGGING_STEPS, LORA, LORA_R,
                        LORA_ALPHA, LORA_DROPOUT, LORA_TARGET_MODULES, GRADIENT_CHECKPOINTING, THREADS, CONCURRENT_MICRO_BATCHES, NPROC, NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT, DIST_BACKEND,
                        DIST_TIMEOUT, QUIET, RESUME))
                .rule(TrainingSettings::wholeMicroBatches)
                .rule(TrainingSettings::wholeRankBatches)
                .rule(TrainingSettings::concurrencyFits)
                .rule(s -> {
                    if (s.get(LORA)) {
                        loraSpec(s);
                    }
                });
    }

    private static void wholeMicroBatches(Settings s) {
        if (s.get(BATCH_SIZE) % s.get(MICRO_BATCH_SIZE) != 0) {
            throw new BadInputException("batch-size " + s.get(BATCH_SIZE) + " is not a multiple of micro-batch-size "
                    + s.get(MICRO_BATCH_SIZE) + " (gradient accumulation needs whole micro-batches)");
        }
    }

    /**
     * The micro-batches a step computes at once on a device that {@code isCpu} or not: the setting, or for 0 one per
     * libtorch thread on a CPU where nothing refuses it ({@link #oneAtATimeBecause}), else 1.
     */
    public static int concurrentMicroBatches(Settings s, boolean isCpu) {
        int setting = s.get(CONCURRENT_MICRO_BATCHES);
        if (setting > 0) {
            return setting;
        }
        boolean refused = oneAtATimeBecause(s) != null || !isCpu;
        return refused ? 1 : s.get(THREADS) > 0 ? s.get(THREADS) : Runtime.getRuntime().availableProcessors();
    }

    /** Concurrent micro-batches, asked for, with a setting that needs them one at a time: refused. */
    private static void concurrencyFits(Settings s) {
        int threads = s.get(CONCURRENT_MICRO_BATCHES);
        String reason = oneAtATimeBecause(s);
        if (threads > 1 && reason != null) {
            throw new BadInputException("concurrent-micro-batches " + threads + " " + reason);
        }
    }

    /** Why these settings need a step's micro-batches one at a time, or null when they do not. */
    private static String oneAtATimeBecause(Settings s) {
        if (s.get(GRADIENT_CHECKPOINTING)) {
            return "with gradient-checkpointing: the recomputed layers run one micro-batch's backward pass at a time; use "
                    + "one or the other";
        }
        if (worldSize(s) > 1) {
            return "in a distributed run: each process overlaps its all-reduce with the backward pass of its last "
                    + "micro-batch; use --nproc for the cores instead";
        }
        return null;
    }

    /** The processes of the whole run: nproc on each of nnodes machines. */
    public static int worldSize(Settings s) {
        return s.get(NPROC) * s.get(NNODES);
    }

    private static void wholeRankBatches(Settings s) {
        if (s.get(NODE_RANK) >= s.get(NNODES)) {
            throw new BadInputException("node-rank " + s.get(NODE_RANK) + " is not below nnodes " + s.get(NNODES)
                    + " (nodes are numbered 0 .. nnodes-1)");
        }
        int world = worldSize(s);
        if (s.get(BATCH_SIZE) % world != 0) {
            throw new BadInputException("batch-size " + s.get(BATCH_SIZE) + " is not a multiple of the " + world
                    + " processes (nproc " + s.get(NPROC) + " x nnodes " + s.get(NNODES) + "): every process takes batch-size / "
                    + world + " rows of each step");
        }
    }

    /** The precision to compute in: auto becomes bf16 where the hardware has bf16 arithmetic, else fp32. */
    public static Precision precision(Settings s) {
        String name = s.get(PRECISION);
        return name.equals("auto") ? Precision.fastest(Tensors.defaultDevice()) : Precision.parse(name);
    }

    /** The same settings with precision auto replaced by what it means on this machine, as a run records it. */
    public static Settings withHardwarePrecision(Settings s) {
        return s.with(PRECISION, precision(s) == Precision.BF16 ? "bf16" : "fp32");
    }

    public static LoraSpec loraSpec(Settings s) {
        return new LoraSpec(s.get(LORA_R), s.get(LORA_ALPHA), s.get(LORA_DROPOUT), s.get(LORA_TARGET_MODULES));
    }

    public static int accumulationSteps(Settings s) {
        return s.get(BATCH_SIZE) / s.get(MICRO_BATCH_SIZE);
    }

    /** {@code path}, or a BadInputException naming the option when it was not given. */
    public static Path required(Settings s, Setting<Path> path) {
        Path value = s.get(path);
        if (value == null) {
            throw new BadInputException("no " + path.name() + " given (--" + path.name() + ")");
        }
        return value;
    }
}
