package org.instruct4j.train.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.TrainingOptions;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.TrainingData;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.optim.LearningRateSchedule;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.MetricsLog;
import org.instruct4j.train.run.StepCadence;
import org.instruct4j.train.run.TrainingRun;

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

    private final SftConfig config;
    private final TrainingOptions options;
    private final Consumer<String> log;

    private SftRecipe(SftConfig config, Consumer<String> log) {
        this.config = config;
        this.options = config.training();
        this.log = log;
    }

    /** Runs {@code config}; progress goes to stderr unless quiet, messages to {@code log}. */
    public static SftResult run(SftConfig config, Consumer<String> log) {
        return new SftRecipe(config, log).run();
    }

    public static SftResult run(SftConfig config) {
        return run(config, config.training().quiet() ? message -> { } : System.err::println);
    }

    private SftResult run() {
        TrainingRun run = TrainingRun.open(options, config.toValues(), CONFIG_FILE);
        LoadedModel loaded = BaseModels.load(options);
        Tokenizer tokenizer = loaded.tokenizer();
        ExampleEncoder encoder = ExampleEncoder.of(options, tokenizer);
        TrainingData examples = TrainingData.load(options.data(), encoder, options.evalFraction(), options.seed(), options.quiet());
        String dataSummary = examples.summary(options.maxLength());
        log.accept("data: " + dataSummary);
        var finished = run.finishedSummary();
        if (finished.isPresent()) {
            log.accept("run in " + run.output() + " already finished; nothing to do");
            return fromSummary(finished.get(), run.output(), dataSummary);
        }

        TrainingPlan<EncodedExample> plan = new TrainingPlan<>(examples.train(), options.epochs(), options.maxSteps(),
                options.batchSize(), options.microBatchSize(), config.packing(), options.maxLength(), options.seed(),
                EncodedExample::inputLength);
        LearningRateSchedule schedule = LearningRateSchedule.of(options.lrScheduler(), options.lr(), plan.totalSteps(),
                options.warmupRatio());
        FineTunedModel model = FineTunedModel.of(options, loaded.model(), Map.of());
        AdamW optimizer = model.optimizer(options);
        log.accept(model.describe(options, plan.totalSteps(), "sequences"));

        int start = run.start(model::restore, optimizer, plan.totalSteps(), log);
        Trainer trainer = new Trainer(run, model, optimizer, plan, schedule, examples.eval(), BaseModels.padId(tokenizer), tokenizer);
        return trainer.train(start, dataSummary);
    }

    /** The loop over optimizer steps, with the state it needs. */
    private final class Trainer {
        private final TrainingRun run;
        private final FineTunedModel model;
        private final AdamW optimizer;
        private final TrainingPlan<EncodedExample> plan;
        private final LearningRateSchedule schedule;
        private final List<EncodedExample> eval;
        private final int padId;
        private final Tokenizer tokenizer;
        private final StepRunner steps;

        Trainer(TrainingRun run, FineTunedModel model, AdamW optimizer, TrainingPlan<EncodedExample> plan,
                LearningRateSchedule schedule, List<EncodedExample> eval, int padId, Tokenizer tokenizer) {
            this.run = run;
            this.model = model;
            this.optimizer = optimizer;
            this.plan = plan;
            this.schedule = schedule;
            this.eval = eval;
            this.padId = padId;
            this.tokenizer = tokenizer;
            this.steps = new StepRunner(model, optimizer, padId, config.packing(), options.seed(), options.maxGradNorm());
        }

        SftResult train(int start, String dataSummary) {
            Path output = run.output();
            int total = plan.totalSteps();
            StepCadence cadence = new StepCadence(options, total, !eval.isEmpty());
            double loss = Double.NaN, evalLoss = Double.NaN, firstEval = Double.NaN;
            int step = start;
            try (MetricsLog metrics = MetricsLog.open(output, start);
                 Progress progress = Progress.create("sft", total - start, "steps", options.quiet())) {
                if (!eval.isEmpty() && start == 0) {
                    firstEval = steps.evaluate(eval, options.microBatchSize());
                    log.accept(String.format("eval loss before training: %.4f", firstEval));
                }
                while (cadence.runs(step)) {
                    long began = System.nanoTime();
                    double lr = schedule.at(step);
                    StepRunner.StepResult result = steps.step(step, lr, plan.step(step));
                    step++;
                    loss = result.loss();
                    double seconds = (System.nanoTime() - began) / 1e9;
                    double tokensPerSecond = result.inputTokens() / seconds;
                    boolean evaluate = cadence.evaluates(step);
                    if (evaluate) {
                        evalLoss = steps.evaluate(eval, options.microBatchSize());
                    }
                    if (cadence.logs(step, evaluate)) {
                        metrics.append(metricsRow(step, loss, lr, result, tokensPerSecond, evaluate ? evalLoss : Double.NaN));
                    }
                    if (cadence.checkpoints(step)) {
                        saveCheckpoint(step);
                    }
                    progress.step();
                    progress.status(String.format("step %d/%d loss %.4f lr %.2e %,.0f tok/s%s", step, total, loss, lr,
                            tokensPerSecond, Double.isNaN(evalLoss) ? "" : String.format(" eval %.4f", evalLoss)));
                }
            }
            boolean finished = cadence.finished(step);
            if (!finished) {
                saveCheckpoint(step);
                log.accept(cadence.stoppedMessage(step));
            }
            model.save(output, tokenizer.bosId(), tokenizer.eosId(), padId);
            SftResult result = new SftResult(output, step, total, loss, evalLoss, firstEval, finished, dataSummary);
            if (finished) {
                run.finish(summary(result));
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
            run.checkpoint(step, plan.totalSteps(), plan.epochAfter(step),
                    dir -> model.save(dir, tokenizer.bosId(), tokenizer.eosId(), padId), optimizer);
        }
    }

    private static ObjectNode summary(SftResult result) {
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
        return json;
    }

    private static SftResult fromSummary(JsonNode json, Path output, String dataSummary) {
        return new SftResult(output, json.path("steps").asInt(), json.path("total_steps").asInt(),
                json.path("loss").asDouble(), json.path("eval_loss").asDouble(Double.NaN),
                json.path("eval_loss_before").asDouble(Double.NaN), true, dataSummary);
    }
}
