package org.instruct4j.train.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.TrainingOptions;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.loss.PairwiseLoss;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.optim.LearningRateSchedule;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.Comparisons;
import org.instruct4j.train.preference.EncodedGroup;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.MetricsLog;
import org.instruct4j.train.run.StepCadence;
import org.instruct4j.train.run.TrainingRun;

/**
 * Reward-model training, GPT-4-LLM section 4 (after InstructGPT), end to end: read the comparison data (failing on
 * a bad row before anything is written), tokenize every response once, hold out a share of the prompts, put a
 * scalar head on the base model, then for every optimizer step score all responses of its prompts and take
 * -log sigmoid(r_high - r_low) over every pair of responses with different scores (C(K, 2) pairs per prompt, ties
 * skipped); clip, update, log, evaluate on the held-out prompts, checkpoint. A killed run continues with
 * {@code resume} and computes what the uninterrupted run would have.
 *
 * <p>Output directory: the reward model (transformers' sequence-classification layout, see {@link RewardModel}),
 * {@code reward_config.yaml}, {@code metrics.jsonl} (loss and batch accuracy per step; held-out accuracy, loss,
 * margin and mean reward per source at every evaluation, step 0 being before training),
 * {@code checkpoints/step-N/}, {@code reward_report.html} and {@code train_summary.json} once finished.
 */
public final class RewardRecipe {
    static final String CONFIG_FILE = "reward_config.yaml";

    private final RewardConfig config;
    private final TrainingOptions options;
    private final Consumer<String> log;

    /** What a reward-model run did; {@code evaluation} is on the held-out prompts (null when none are held out). */
    public record Result(Path output, int steps, int totalSteps, double lastLoss, RewardEvaluation evaluation,
                         double evalAccuracyBefore, double lengthBaseline, boolean finished, String dataSummary) {}

    private RewardRecipe(RewardConfig config, Consumer<String> log) {
        this.config = config;
        this.options = config.training();
        this.log = log;
    }

    public static Result run(RewardConfig config, Consumer<String> log) {
        return new RewardRecipe(config, log).run();
    }

    public static Result run(RewardConfig config) {
        return run(config, config.training().quiet() ? message -> { } : System.err::println);
    }

    private Result run() {
        TrainingRun run = TrainingRun.open(options, config.toValues(), CONFIG_FILE);
        LoadedModel loaded = BaseModels.load(options);
        Tokenizer tokenizer = loaded.tokenizer();
        ExampleEncoder encoder = ExampleEncoder.of(options, tokenizer);
        PreferenceData data = PreferenceData.load(options, encoder);
        String dataSummary = data.summary(options.maxLength());
        double lengthBaseline = Comparisons.longerWins(PreferenceData.comparisons(data.eval()));
        log.accept("data: " + dataSummary);
        if (!data.eval().isEmpty()) {
            log.accept(String.format("held-out baseline, the longer response wins: %.4f of %d pairs", lengthBaseline,
                    PreferenceData.pairs(data.eval())));
        }
        var finished = run.finishedSummary();
        if (finished.isPresent()) {
            log.accept("run in " + run.output() + " already finished; nothing to do");
            return fromSummary(finished.get(), run.output(), dataSummary);
        }

        CausalLm backbone = RewardModel.backbone(loaded.model());
        FineTunedModel model = FineTunedModel.of(options, backbone,
                Map.of(RewardModel.HEAD, RewardModel.initialHead(backbone, options.seed())));
        int padId = BaseModels.padId(tokenizer);
        RewardModel reward = new RewardModel(model.model(), model.head(RewardModel.HEAD), tokenizer, encoder, padId);
        AdamW optimizer = model.optimizer(options);
        TrainingPlan<EncodedGroup> plan = new TrainingPlan<>(data.train(), options.epochs(), options.maxSteps(),
                options.batchSize(), options.microBatchSize(), options.seed());
        LearningRateSchedule schedule = LearningRateSchedule.of(options.lrScheduler(), options.lr(), plan.totalSteps(),
                options.warmupRatio());
        log.accept(model.describe(options, plan.totalSteps(), "prompts") + ", a reward head on the last token");

        Path tokenizerSource = BaseModels.tokenizerSource(options);
        Consumer<Path> save = dir -> {
            RewardModel.save(dir, model.masterModel(), model.weights().master().get(RewardModel.HEAD), tokenizerSource,
                    options.template(), options.maxLength(), padId);
            if (model.isLora()) {
                model.saveAdapters(dir); // a checkpoint keeps the adapters themselves, to resume from
            }
        };
        int start = run.start(model::restore, optimizer, plan.totalSteps(), log);
        int total = plan.totalSteps();
        StepCadence cadence = new StepCadence(options, total, !data.eval().isEmpty());
        double loss = Double.NaN, before = Double.NaN;
        RewardEvaluation evaluation = null;
        int step = start;
        try (MetricsLog metrics = MetricsLog.open(run.output(), start);
             Progress progress = Progress.create("reward model", total - start, "steps", options.quiet())) {
            if (!data.eval().isEmpty() && start == 0) {
                evaluation = evaluate(model, reward, data.eval());
                before = evaluation.accuracy();
                metrics.append(evalRow(0, evaluation));
                log.accept(String.format("held-out accuracy before training: %.4f", before));
            } else {
                before = metrics.keptRow(0).map(row -> row.path("eval_accuracy").asDouble(Double.NaN)).orElse(Double.NaN);
            }
            while (cadence.runs(step)) {
                double lr = schedule.at(step);
                StepResult result = step(model, reward, optimizer, step, lr, plan.items(step));
                step++;
                loss = result.loss();
                boolean evaluate = cadence.evaluates(step);
                ObjectNode row = evaluate ? evalRow(step, evaluation = evaluate(model, reward, data.eval())) : Json.object();
                if (cadence.logs(step, evaluate)) {
                    row.put("step", step);
                    row.put("epoch", Math.round(plan.epochAfter(step) * 1e4) / 1e4);
                    row.put("loss", loss);
                    row.put("accuracy", result.accuracy());
                    row.put("lr", lr);
                    row.put("grad_norm", result.gradNorm());
                    row.put("pairs", result.pairs());
                    metrics.append(row);
                }
                if (cadence.checkpoints(step)) {
                    run.checkpoint(step, total, plan.epochAfter(step), save, optimizer);
                }
                progress.step();
                progress.status(String.format("step %d/%d loss %.4f acc %.3f%s", step, total, loss, result.accuracy(),
                        evaluation == null ? "" : String.format(" held-out acc %.3f", evaluation.accuracy())));
            }
        }
        boolean done = cadence.finished(step);
        if (!done) {
            run.checkpoint(step, total, plan.epochAfter(step), save, optimizer);
            log.accept(cadence.stoppedMessage(step));
        }
        RewardModel.save(run.output(), model.masterModel(), model.weights().master().get(RewardModel.HEAD), tokenizerSource,
                options.template(), options.maxLength(), padId);
        Result result = new Result(run.output(), step, total, loss, evaluation, before, lengthBaseline, done, dataSummary);
        if (done) {
            if (evaluation != null) {
                RewardReport.write(run.output(), evaluation, lengthBaseline, dataSummary);
            }
            run.finish(summary(result));
        }
        log.accept(String.format("%s: %d steps, loss %.4f%s -> %s", done ? "done" : "stopped", step, loss, evaluation == null ? ""
                : String.format(", held-out accuracy %.4f (longer response wins: %.4f)", evaluation.accuracy(), lengthBaseline),
                run.output()));
        return result;
    }

    /** What a step did: mean pair loss, share of its pairs ranked right, gradient norm before clipping, pairs. */
    private record StepResult(double loss, double accuracy, double gradNorm, int pairs) {}

    /** One optimizer step over the prompts of {@code microBatches}: every response scored once, every pair compared. */
    private StepResult step(FineTunedModel model, RewardModel reward, AdamW optimizer, int step, double lr,
                            List<List<EncodedGroup>> microBatches) {
        torch.manual_seed(options.seed() * 1_000_003L + step); // LoRA dropout depends only on the step
        int pairs = microBatches.stream().mapToInt(PreferenceData::pairs).sum();
        double lossSum = 0;
        int right = 0;
        model.training(true);
        for (List<EncodedGroup> micro : microBatches) {
            try (PointerScope scope = new PointerScope()) {
                PairBatch batch = PairBatch.of(micro, config.scoreMargin());
                PairwiseLoss.Result result = PairwiseLoss.of(reward.rewards(batch.sequences()), batch.higher(), batch.lower(),
                        batch.margins());
                result.sum().div(new Scalar((double) pairs)).backward();
                lossSum += result.sum().item_double();
                for (float difference : result.differences()) {
                    right += difference > 0 ? 1 : 0;
                }
            }
            model.weights().accumulateGradients();
        }
        double norm = model.weights().update(optimizer, lr, options.maxGradNorm());
        return new StepResult(lossSum / pairs, (double) right / pairs, norm, pairs);
    }

    private RewardEvaluation evaluate(FineTunedModel model, RewardModel reward, List<EncodedGroup> eval) {
        model.training(false);
        // without gradients twice the sequences of a training micro-batch of pairs fit in the same memory
        return RewardEvaluation.of(reward, eval, options.microBatchSize() * 2);
    }

    /** The sequences of some prompts' responses, and their pairs as indices into them, with the margins asked for. */
    private record PairBatch(List<int[]> sequences, long[] higher, long[] lower, float[] margins) {
        static PairBatch of(List<EncodedGroup> groups, double scoreMargin) {
            List<int[]> sequences = new ArrayList<>();
            int pairs = PreferenceData.pairs(groups);
            long[] higher = new long[pairs], lower = new long[pairs];
            float[] margins = new float[pairs];
            int p = 0;
            for (EncodedGroup group : groups) {
                int offset = sequences.size();
                group.responses().stream().map(EncodedExample::tokens).forEach(sequences::add);
                for (ComparisonGroup.Pair pair : group.pairs()) {
                    higher[p] = offset + pair.higher();
                    lower[p] = offset + pair.lower();
                    margins[p++] = (float) (scoreMargin * pair.scoreGap());
                }
            }
            return new PairBatch(sequences, higher, lower, margins);
        }
    }

    private static ObjectNode evalRow(int step, RewardEvaluation evaluation) {
        ObjectNode row = Json.object();
        row.put("step", step);
        row.put("eval_accuracy", evaluation.accuracy());
        row.put("eval_loss", evaluation.loss());
        row.put("eval_margin", evaluation.margin());
        ObjectNode means = row.putObject("eval_mean_reward_by_source");
        evaluation.bySourceJson().properties().forEach(e -> means.put(e.getKey(), e.getValue().get("mean").asDouble()));
        return row;
    }

    private static ObjectNode summary(Result result) {
        ObjectNode json = Json.object();
        json.put("steps", result.steps());
        json.put("total_steps", result.totalSteps());
        json.put("loss", result.lastLoss());
        if (result.evaluation() != null) {
            json.put("eval_pairs", result.evaluation().pairs());
            json.put("eval_accuracy", result.evaluation().accuracy());
            json.put("eval_accuracy_before", result.evalAccuracyBefore());
            json.put("eval_loss", result.evaluation().loss());
            json.put("eval_margin", result.evaluation().margin());
            json.put("eval_length_baseline", result.lengthBaseline());
            json.set("eval_rewards_by_source", result.evaluation().bySourceJson());
        }
        json.put("data", result.dataSummary());
        return json;
    }

    private static Result fromSummary(JsonNode json, Path output, String dataSummary) {
        RewardEvaluation evaluation = json.has("eval_accuracy") ? new RewardEvaluation(json.path("eval_pairs").asInt(),
                json.path("eval_accuracy").asDouble(), json.path("eval_loss").asDouble(), json.path("eval_margin").asDouble(),
                Map.of(), Map.of()) : null;
        return new Result(output, json.path("steps").asInt(), json.path("total_steps").asInt(), json.path("loss").asDouble(),
                evaluation, json.path("eval_accuracy_before").asDouble(Double.NaN), json.path("eval_length_baseline").asDouble(Double.NaN),
                true, dataSummary);
    }
}
