package org.instruct4j.train.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.checkpoint.Checkpoints;
import org.instruct4j.train.config.ConfigValues;
import org.instruct4j.train.data.AlpacaFormat;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.PromptFormat;
import org.instruct4j.train.data.TrainingData;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.optim.LearningRateSchedule;

/**
 * Supervised fine-tuning, the recipe of GPT-4-LLM (stanford_alpaca's train.py), end to end: read and tokenize
 * the data (failing on a bad row before anything is written), plan the steps, then for every optimizer step
 * run forward and backward over its micro-batches, clip, update, log, evaluate and checkpoint; finally write
 * the model. A run killed at any point continues with {@code resume} from its last checkpoint and computes
 * exactly what the uninterrupted run would have.
 *
 * <p>Output directory: the model (or LoRA adapter) files, {@code sft_config.yaml} (the resolved settings),
 * {@code metrics.jsonl}, {@code checkpoints/step-N/}, and {@code train_summary.json} once finished.
 */
public final class SftRecipe {
    static final String CONFIG_FILE = "sft_config.yaml";
    static final String SUMMARY_FILE = "train_summary.json";
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.pt";

    private final SftConfig config;
    private final Consumer<String> log;

    private SftRecipe(SftConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
    }

    /** Runs {@code config}; progress goes to stderr unless quiet, messages to {@code log}. */
    public static SftResult run(SftConfig config, Consumer<String> log) {
        return new SftRecipe(config, log).run();
    }

    public static SftResult run(SftConfig config) {
        return run(config, config.quiet() ? message -> { } : System.err::println);
    }

    private SftResult run() {
        Path output = require(config.output(), "output");
        Path data = require(config.data(), "data");
        Path base = require(config.base(), "base");
        if (!Files.exists(base)) {
            throw new IllegalArgumentException("base model " + base + " does not exist");
        }
        boolean started = Files.exists(output.resolve(CONFIG_FILE));
        if (started && !config.resume()) {
            throw new IllegalArgumentException("output " + output + " already holds a run (" + CONFIG_FILE
                    + "); pass --resume to continue it, or choose another --output");
        }
        if (started) {
            checkSameRun(output);
        }
        if (config.threads() > 0) {
            torch.set_num_threads(config.threads());
        }
        LoadedModel loaded = loadBase(base);
        Tokenizer tokenizer = loaded.tokenizer();
        PromptFormat format = PromptFormats.of(config.template(), tokenizer, base, config.tokenizer());
        ExampleEncoder encoder = new ExampleEncoder(format, tokenizer.eosId(), config.maxLength());
        TrainingData examples = TrainingData.load(data, encoder, config.evalFraction(), config.seed(), config.quiet());
        String dataDigest = sha256(data);
        log.accept("data: " + examples.summary(config.maxLength()));

        Path summaryFile = output.resolve(SUMMARY_FILE);
        if (started && Files.exists(summaryFile)) {
            log.accept("run in " + output + " already finished; nothing to do");
            return readSummary(summaryFile, output, examples.summary(config.maxLength()));
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + output + ": " + e.getMessage(), e);
        }
        config.toValues().writeYaml(output.resolve(CONFIG_FILE));

        TrainingPlan plan = new TrainingPlan(examples.train(), config.epochs(), config.maxSteps(), config.batchSize(),
                config.microBatchSize(), config.packing(), config.maxLength(), config.seed());
        LearningRateSchedule schedule = LearningRateSchedule.of(config.lrScheduler(), config.lr(), plan.totalSteps(),
                config.warmupRatio());
        Path tokenizerSource = Files.isDirectory(base) ? base : config.tokenizer();
        FineTunedModel model = config.lora()
                ? FineTunedModel.lora(loaded.model(), config.precision(), config.loraSpec(), config.seed(), tokenizerSource,
                        base.toAbsolutePath().normalize().toString())
                : FineTunedModel.full(loaded.model(), config.precision(), tokenizerSource);
        AdamW optimizer = new AdamW(model.weights().master().values(), config.adamBeta1(), config.adamBeta2(),
                config.adamEpsilon(), config.weightDecay());
        log.accept(String.format("training %s: %,d parameters, %s, %d steps of %d sequences (%d x %d accumulated)",
                config.lora() ? "LoRA adapters" : "all weights", model.weights().parameterCount(),
                config.precision() == Precision.BF16 ? "bf16 compute, fp32 master weights" : "fp32",
                plan.totalSteps(), config.batchSize(), config.accumulationSteps(), config.microBatchSize()));

        Checkpoints checkpoints = new Checkpoints(output.resolve("checkpoints"), config.saveTotalLimit());
        checkpoints.removeIncomplete();
        int start = 0;
        Optional<Path> latest = config.resume() ? checkpoints.latest() : Optional.empty();
        if (latest.isPresent()) {
            start = resume(latest.get(), model, optimizer, dataDigest);
            log.accept("resumed from " + latest.get() + " at step " + start + " of " + plan.totalSteps());
        } else if (config.resume()) {
            log.accept("no checkpoint in " + checkpoints.root() + "; starting from the beginning");
        }
        Trainer trainer = new Trainer(model, optimizer, plan, schedule, examples.eval(), padId(tokenizer), dataDigest,
                checkpoints, tokenizer);
        return trainer.train(start, output, examples.summary(config.maxLength()));
    }

    /** The loop over optimizer steps, with the state it needs. */
    private final class Trainer {
        private final FineTunedModel model;
        private final AdamW optimizer;
        private final TrainingPlan plan;
        private final LearningRateSchedule schedule;
        private final List<EncodedExample> eval;
        private final int padId;
        private final String dataDigest;
        private final Checkpoints checkpoints;
        private final Tokenizer tokenizer;
        private final StepRunner steps;

        Trainer(FineTunedModel model, AdamW optimizer, TrainingPlan plan, LearningRateSchedule schedule,
                List<EncodedExample> eval, int padId, String dataDigest, Checkpoints checkpoints, Tokenizer tokenizer) {
            this.model = model;
            this.optimizer = optimizer;
            this.plan = plan;
            this.schedule = schedule;
            this.eval = eval;
            this.padId = padId;
            this.dataDigest = dataDigest;
            this.checkpoints = checkpoints;
            this.tokenizer = tokenizer;
            this.steps = new StepRunner(model, optimizer, padId, config.packing(), config.seed(), config.maxGradNorm());
        }

        SftResult train(int start, Path output, String dataSummary) {
            int total = plan.totalSteps();
            long deadline = config.maxTime().isZero() ? Long.MAX_VALUE : System.nanoTime() + config.maxTime().toNanos();
            double loss = Double.NaN, evalLoss = Double.NaN, firstEval = Double.NaN;
            int step = start;
            int evaluatedAt = start;
            try (MetricsLog metrics = MetricsLog.open(output, start);
                 Progress progress = Progress.create("sft", total - start, "steps", config.quiet())) {
                if (!eval.isEmpty() && start == 0) {
                    firstEval = steps.evaluate(eval, config.microBatchSize());
                    log.accept(String.format("eval loss before training: %.4f", firstEval));
                }
                while (step < total && System.nanoTime() < deadline) {
                    long began = System.nanoTime();
                    double lr = schedule.at(step);
                    StepRunner.StepResult result = steps.step(step, lr, plan.step(step));
                    step++;
                    loss = result.loss();
                    double seconds = (System.nanoTime() - began) / 1e9;
                    double tokensPerSecond = result.inputTokens() / seconds;
                    boolean evaluate = !eval.isEmpty() && (step == total || config.evalSteps() > 0 && step % config.evalSteps() == 0);
                    if (evaluate) {
                        evalLoss = steps.evaluate(eval, config.microBatchSize());
                        evaluatedAt = step;
                    }
                    if (step % config.loggingSteps() == 0 || step == total || evaluate) {
                        metrics.append(metricsRow(step, loss, lr, result, tokensPerSecond, evaluate ? evalLoss : Double.NaN));
                    }
                    if (config.saveSteps() > 0 && step % config.saveSteps() == 0 && step < total) {
                        saveCheckpoint(step);
                    }
                    progress.step();
                    progress.status(String.format("step %d/%d loss %.4f lr %.2e %,.0f tok/s%s", step, total, loss, lr,
                            tokensPerSecond, Double.isNaN(evalLoss) ? "" : String.format(" eval %.4f", evalLoss)));
                }
            }
            boolean finished = step == total;
            if (!eval.isEmpty() && evaluatedAt != step) {
                // a run stopped by max-time still reports where its held-out loss stands
                evalLoss = steps.evaluate(eval, config.microBatchSize());
            }
            if (!finished) {
                saveCheckpoint(step);
                log.accept("stopped after max-time " + config.maxTime() + " at step " + step + " of " + total
                        + "; the model so far is in " + output + ", --resume continues");
            }
            model.save(output, tokenizer.bosId(), tokenizer.eosId(), padId);
            SftResult result = new SftResult(output, step, total, loss, evalLoss, firstEval, finished, dataSummary);
            if (finished) {
                writeSummary(output.resolve(SUMMARY_FILE), result);
            }
            log.accept(String.format("%s: %d steps, loss %.4f%s -> %s", finished ? "done" : "stopped", step, loss,
                    Double.isNaN(evalLoss) ? "" : String.format(", eval loss %.4f", evalLoss), output));
            return result;
        }

        private ObjectNode metricsRow(int step, double loss, double lr, StepRunner.StepResult result, double tokensPerSecond, double evalLoss) {
            ObjectNode row = Json.object();
            row.put("step", step);
            row.put("epoch", Math.round(plan.epochAfter(step) * 1e4) / 1e4);
            row.put("loss", loss);
            row.put("lr", lr);
            row.put("grad_norm", result.gradNorm());
            row.put("tokens_per_second", Math.round(tokensPerSecond * 10) / 10.0);
            row.put("target_tokens", result.targetTokens());
            if (!Double.isNaN(evalLoss)) {
                row.put("eval_loss", evalLoss);
            }
            return row;
        }

        private void saveCheckpoint(int step) {
            checkpoints.save(step, dir -> {
                model.save(dir, tokenizer.bosId(), tokenizer.eosId(), padId);
                optimizer.save(dir.resolve(OPTIMIZER_FILE));
                ObjectNode state = Json.object();
                state.put("step", step);
                state.put("total_steps", plan.totalSteps());
                state.put("epoch", plan.epochAfter(step));
                state.put("data_sha256", dataDigest);
                AtomicFiles.writeString(dir.resolve(STATE_FILE), state.toPrettyString());
            });
        }
    }

    private int resume(Path checkpoint, FineTunedModel model, AdamW optimizer, String dataDigest) {
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(checkpoint.resolve(STATE_FILE).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint.resolve(STATE_FILE) + ": " + e.getMessage(), e);
        }
        if (!dataDigest.equals(state.path("data_sha256").asText())) {
            throw new IllegalArgumentException("cannot resume " + checkpoint + ": the data file changed since the run started");
        }
        model.restore(checkpoint);
        optimizer.load(checkpoint.resolve(OPTIMIZER_FILE));
        return state.path("step").asInt();
    }

    /** A resumed run must compute the same thing: only settings that do not change the result may differ. */
    private void checkSameRun(Path output) {
        ConfigValues saved = new ConfigValues(SftConfig.KEYS).applyYaml(output.resolve(CONFIG_FILE));
        ConfigValues now = config.toValues();
        List<String> changed = new ArrayList<>();
        for (var key : SftConfig.KEYS) {
            String name = key.name();
            if (!SftConfig.RESUMABLE_CHANGES.contains(name) && !String.valueOf(saved.get(name)).equals(String.valueOf(now.get(name)))) {
                changed.add(name + " " + saved.get(name) + " -> " + now.get(name));
            }
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("cannot resume the run in " + output + " with different settings: "
                    + String.join(", ", changed));
        }
    }

    private LoadedModel loadBase(Path base) {
        Device device = Tensors.defaultDevice();
        if (Files.isRegularFile(base)) {
            if (config.tokenizer() == null) {
                throw new IllegalArgumentException("base " + base + " is a llama2.c checkpoint: give its tokenizer (--tokenizer FILE)");
            }
            return ModelDirectory.loadLlama2c(base, config.tokenizer(), Precision.FP32, device);
        }
        return ModelDirectory.load(base, Precision.FP32, device);
    }

    /**
     * The padding id: the tokenizer's own pad token when it differs from EOS, else 0 (Llama's unk, as
     * alpaca-lora pads), so EOS keeps its meaning. Padding is never attended to by real tokens nor trained on.
     */
    static int padId(Tokenizer tokenizer) {
        int pad = tokenizer.padId();
        if (pad >= 0 && pad != tokenizer.eosId()) {
            return pad;
        }
        return tokenizer.eosId() == 0 ? 1 : 0;
    }

    private static Path require(Path path, String name) {
        if (path == null) {
            throw new IllegalArgumentException("no " + name + " given (--" + name + ")");
        }
        return path;
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeSummary(Path file, SftResult result) {
        ObjectNode json = Json.object();
        json.put("steps", result.steps());
        json.put("total_steps", result.totalSteps());
        json.put("loss", result.lastLoss());
        if (!Double.isNaN(result.lastEvalLoss())) {
            json.put("eval_loss", result.lastEvalLoss());
        }
        if (!Double.isNaN(result.firstEvalLoss())) {
            json.put("eval_loss_before", result.firstEvalLoss());
        }
        json.put("data", result.dataSummary());
        AtomicFiles.writeString(file, json.toPrettyString());
    }

    private static SftResult readSummary(Path file, Path output, String dataSummary) {
        try {
            JsonNode json = Json.MAPPER.readTree(file.toFile());
            return new SftResult(output, json.path("steps").asInt(), json.path("total_steps").asInt(),
                    json.path("loss").asDouble(), json.path("eval_loss").asDouble(Double.NaN),
                    json.path("eval_loss_before").asDouble(Double.NaN), true, dataSummary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
