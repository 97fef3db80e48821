package org.instruct4j.train.dpo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.TrainingOptions;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.generate.LogLikelihood;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.loss.DpoLoss;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.optim.LearningRateSchedule;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.EncodedGroup;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.MetricsLog;
import org.instruct4j.train.run.StepCadence;
import org.instruct4j.train.run.TrainingRun;

/**
 * Direct Preference Optimization (Rafailov et al., 2023) on comparison data, end to end: read the data (failing on a
 * bad row before anything is written), make every pair of an instruction's responses with different scores a
 * (chosen, rejected) pair, hold out a share of the prompts, and compute the frozen reference model's
 * log-probabilities of every response once, before the first update: the reference is the base model exactly as
 * loaded, which no step ever changes (TRL's precompute_ref_log_probs; it also saves a forward pass per step). Then
 * for every optimizer step: the policy's log-probabilities, the DPO loss, clip, update, log, evaluate the held-out
 * pairs, checkpoint. A killed run continues with {@code resume} (the reference is recomputed from the base, not from
 * the checkpoint) and computes what the uninterrupted run would have.
 *
 * <p>Output directory: the policy as {@code train sft} writes it (a model directory, or a PEFT adapter with
 * {@code lora}), {@code dpo_config.yaml}, {@code metrics.jsonl} (per step: loss, reward accuracy, the chosen and
 * rejected implicit rewards beta * log(pi / ref) and their margin; the same on the held-out pairs at every
 * evaluation, step 0 being before training), {@code checkpoints/step-N/} and {@code train_summary.json}.
 */
public final class DpoRecipe {
    static final String CONFIG_FILE = "dpo_config.yaml";

    private final DpoConfig config;
    private final TrainingOptions options;
    private final Consumer<String> log;

    /** One (chosen, rejected) pair, tokenized, with the reference model's log-probability of each response. */
    record PreferencePair(long row, EncodedExample chosen, EncodedExample rejected, double referenceChosen,
                          double referenceRejected) {}

    /**
     * DPO's numbers over some pairs: mean loss, reward accuracy (the chosen response's implicit reward above the
     * rejected one's), mean implicit rewards of the chosen and rejected responses, and their mean margin.
     */
    public record Stats(int pairs, double loss, double accuracy, double chosenReward, double rejectedReward) {
        public double margin() {
            return chosenReward - rejectedReward;
        }

        void putInto(ObjectNode row, String prefix) {
            row.put(prefix + "pairs", pairs);
            row.put(prefix + "loss", loss);
            row.put(prefix + "reward_accuracy", accuracy);
            row.put(prefix + "chosen_reward", chosenReward);
            row.put(prefix + "rejected_reward", rejectedReward);
            row.put(prefix + "reward_margin", margin());
        }

        static Stats from(JsonNode json, String prefix) {
            return new Stats(json.path(prefix + "pairs").asInt(), json.path(prefix + "loss").asDouble(),
                    json.path(prefix + "reward_accuracy").asDouble(), json.path(prefix + "chosen_reward").asDouble(),
                    json.path(prefix + "rejected_reward").asDouble());
        }
    }

    /** What a DPO run did; the held-out stats are null when nothing is held out. */
    public record Result(Path output, int steps, int totalSteps, double lastLoss, Stats evalBefore, Stats evalAfter,
                         boolean finished, String dataSummary) {}

    private DpoRecipe(DpoConfig config, Consumer<String> log) {
        this.config = config;
        this.options = config.training();
        this.log = log;
    }

    public static Result run(DpoConfig config, Consumer<String> log) {
        return new DpoRecipe(config, log).run();
    }

    public static Result run(DpoConfig config) {
        return run(config, config.training().quiet() ? message -> { } : System.err::println);
    }

    private Result run() {
        TrainingRun run = TrainingRun.open(options, config.toValues(), CONFIG_FILE);
        LoadedModel loaded = BaseModels.load(options);
        Tokenizer tokenizer = loaded.tokenizer();
        PreferenceData data = PreferenceData.load(options, ExampleEncoder.of(options, tokenizer));
        String dataSummary = data.summary(options.maxLength());
        log.accept("data: " + dataSummary);
        var finished = run.finishedSummary();
        if (finished.isPresent()) {
            log.accept("run in " + run.output() + " already finished; nothing to do");
            JsonNode json = finished.get();
            return new Result(run.output(), json.path("steps").asInt(), json.path("total_steps").asInt(),
                    json.path("loss").asDouble(), json.has("eval_before") ? Stats.from(json.get("eval_before"), "") : null,
                    json.has("eval_after") ? Stats.from(json.get("eval_after"), "") : null, true, dataSummary);
        }

        FineTunedModel model = FineTunedModel.of(options, loaded.model(), Map.of());
        int padId = BaseModels.padId(tokenizer);
        List<PreferencePair> train = withReference(model, data.train(), padId, "reference log-probs (train)");
        List<PreferencePair> eval = withReference(model, data.eval(), padId, "reference log-probs (held out)");
        AdamW optimizer = model.optimizer(options);
        TrainingPlan<PreferencePair> plan = new TrainingPlan<>(train, options.epochs(), options.maxSteps(), options.batchSize(),
                options.microBatchSize(), options.seed());
        LearningRateSchedule schedule = LearningRateSchedule.of(options.lrScheduler(), options.lr(), plan.totalSteps(),
                options.warmupRatio());
        log.accept(model.describe(options, plan.totalSteps(), "pairs") + ", DPO beta " + config.beta());

        Consumer<Path> save = dir -> model.save(dir, tokenizer.bosId(), tokenizer.eosId(), padId);
        int start = run.start(model::restore, optimizer, plan.totalSteps(), log);
        int total = plan.totalSteps();
        StepCadence cadence = new StepCadence(options, total, !eval.isEmpty());
        double loss = Double.NaN;
        Stats before = null, after = null;
        int step = start;
        try (MetricsLog metrics = MetricsLog.open(run.output(), start);
             Progress progress = Progress.create("dpo", total - start, "steps", options.quiet())) {
            if (!eval.isEmpty() && start == 0) {
                before = evaluate(model, eval, padId);
                metrics.append(evalRow(0, before));
            } else {
                before = metrics.keptRow(0).filter(row -> row.has("eval_pairs")).map(row -> Stats.from(row, "eval_")).orElse(null);
            }
            while (cadence.runs(step)) {
                double lr = schedule.at(step);
                torch.manual_seed(options.seed() * 1_000_003L + step); // LoRA dropout depends only on the step
                Stats stats = train(model, plan.items(step), padId);
                double norm = model.weights().update(optimizer, lr, options.maxGradNorm());
                step++;
                loss = stats.loss();
                boolean evaluate = cadence.evaluates(step);
                if (evaluate) {
                    after = evaluate(model, eval, padId);
                }
                if (cadence.logs(step, evaluate)) {
                    ObjectNode row = Json.object();
                    row.put("step", step);
                    row.put("epoch", Math.round(plan.epochAfter(step) * 1e4) / 1e4);
                    stats.putInto(row, "");
                    row.put("lr", lr);
                    row.put("grad_norm", norm);
                    if (evaluate) {
                        after.putInto(row, "eval_");
                    }
                    metrics.append(row);
                }
                if (cadence.checkpoints(step)) {
                    run.checkpoint(step, total, plan.epochAfter(step), save, optimizer);
                }
                progress.step();
                progress.status(String.format("step %d/%d loss %.4f margin %.4f%s", step, total, loss, stats.margin(),
                        after == null ? "" : String.format(" held-out acc %.3f margin %.4f", after.accuracy(), after.margin())));
            }
        }
        boolean done = cadence.finished(step);
        if (!done) {
            run.checkpoint(step, total, plan.epochAfter(step), save, optimizer);
            log.accept(cadence.stoppedMessage(step));
        }
        save.accept(run.output());
        Result result = new Result(run.output(), step, total, loss, before, after, done, dataSummary);
        if (done) {
            run.finish(summary(result));
        }
        log.accept(String.format("%s: %d steps, loss %.4f%s -> %s", done ? "done" : "stopped", step, loss, after == null ? ""
                : String.format(", held-out reward accuracy %.4f, margin %.4f", after.accuracy(), after.margin()), run.output()));
        return result;
    }

    /** Every pair of {@code groups} as (chosen, rejected), with the reference's log-probabilities, before any update. */
    private List<PreferencePair> withReference(FineTunedModel model, List<EncodedGroup> groups, int padId, String task) {
        List<EncodedExample[]> pairs = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        for (EncodedGroup group : groups) {
            for (ComparisonGroup.Pair pair : group.pairs()) {
                pairs.add(new EncodedExample[] {group.responses().get(pair.higher()), group.responses().get(pair.lower())});
                rows.add(group.row());
            }
        }
        if (EngineChoice.parse(config.referenceEngine()).resolve() == EngineChoice.JAVA) {
            return withReferenceOnCpuEngine(model, pairs, rows, task);
        }
        List<PreferencePair> scored = new ArrayList<>();
        model.training(false);
        int chunk = options.microBatchSize();
        try (NoGradGuard noGrad = new NoGradGuard(); Progress progress = Progress.create(task, pairs.size(), "pairs", options.quiet())) {
            for (int start = 0; start < pairs.size(); start += chunk) {
                List<EncodedExample[]> slice = pairs.subList(start, Math.min(pairs.size(), start + chunk));
                float[] logProbs;
                try (PointerScope scope = new PointerScope()) {
                    logProbs = Tensors.toFloats(TokenLoss.sequenceLogProbs(model.model(), interleaved(slice, padId, model)));
                }
                for (int i = 0; i < slice.size(); i++) {
                    scored.add(new PreferencePair(rows.get(start + i), slice.get(i)[0], slice.get(i)[1], logProbs[2 * i],
                            logProbs[2 * i + 1]));
                }
                progress.stepTo(start + slice.size());
            }
        }
        return scored;
    }

    /**
     * The same reference log-probabilities from the CPU engine over a copy of the model's weights (before any update,
     * LoRA adapters still zero): each response's tokens after its prompt, scored in float32.
     */
    private List<PreferencePair> withReferenceOnCpuEngine(FineTunedModel model, List<EncodedExample[]> pairs, List<Long> rows,
                                                          String task) {
        List<PreferencePair> scored = new ArrayList<>();
        try (CpuEngine engine = CpuEngine.fromTorch(model.model(), Precision.FP32, Quantization.NONE);
             Progress progress = Progress.create(task, pairs.size(), "pairs", options.quiet())) {
            for (int i = 0; i < pairs.size(); i++) {
                EncodedExample chosen = pairs.get(i)[0], rejected = pairs.get(i)[1];
                scored.add(new PreferencePair(rows.get(i), chosen, rejected, responseLogProb(engine, chosen),
                        responseLogProb(engine, rejected)));
                progress.stepTo(i + 1);
            }
        }
        return scored;
    }

    private static double responseLogProb(CpuEngine engine, EncodedExample example) {
        return LogLikelihood.sum(engine, example.tokens(), Math.max(example.promptTokens(), 1));
    }

    /** Rows chosen 0, rejected 0, chosen 1, rejected 1, ... one example per row. */
    private static SequenceBatch interleaved(List<EncodedExample[]> pairs, int padId, FineTunedModel model) {
        List<List<EncodedExample>> rows = new ArrayList<>();
        for (EncodedExample[] pair : pairs) {
            rows.add(List.of(pair[0]));
            rows.add(List.of(pair[1]));
        }
        return SequenceBatch.of(rows, padId, false, model.model().device());
    }

    /** Forward and backward over every micro-batch of a step, the loss normalised by the pairs of the whole step. */
    private Stats train(FineTunedModel model, List<List<PreferencePair>> microBatches, int padId) {
        int pairs = microBatches.stream().mapToInt(List::size).sum();
        StatsSum sum = new StatsSum();
        model.training(true);
        for (List<PreferencePair> micro : microBatches) {
            try (PointerScope scope = new PointerScope()) {
                DpoLoss.Result result = forward(model, micro, padId);
                result.sum().div(new Scalar((double) pairs)).backward();
                sum.add(result);
            }
            model.weights().accumulateGradients();
        }
        return sum.stats();
    }

    /** The held-out pairs, without dropout or gradients. */
    private Stats evaluate(FineTunedModel model, List<PreferencePair> eval, int padId) {
        model.training(false);
        StatsSum sum = new StatsSum();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int start = 0; start < eval.size(); start += options.microBatchSize()) {
                try (PointerScope scope = new PointerScope()) {
                    sum.add(forward(model, eval.subList(start, Math.min(eval.size(), start + options.microBatchSize())), padId));
                }
            }
        }
        return sum.stats();
    }

    private DpoLoss.Result forward(FineTunedModel model, List<PreferencePair> pairs, int padId) {
        List<EncodedExample[]> examples = pairs.stream().map(p -> new EncodedExample[] {p.chosen(), p.rejected()}).toList();
        Tensor logProbs = TokenLoss.sequenceLogProbs(model.model(), interleaved(examples, padId, model));
        int n = pairs.size();
        long[] chosen = new long[n], rejected = new long[n];
        float[] referenceChosen = new float[n], referenceRejected = new float[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = 2L * i;
            rejected[i] = 2L * i + 1;
            referenceChosen[i] = (float) pairs.get(i).referenceChosen();
            referenceRejected[i] = (float) pairs.get(i).referenceRejected();
        }
        var device = logProbs.device();
        return DpoLoss.of(logProbs.index_select(0, Tensors.longs(chosen, device, n)),
                logProbs.index_select(0, Tensors.longs(rejected, device, n)),
                Tensors.floats(referenceChosen, n).to(device, logProbs.scalar_type()),
                Tensors.floats(referenceRejected, n).to(device, logProbs.scalar_type()), config.beta());
    }

    /** Running sums of DPO's numbers over micro-batches. */
    private static final class StatsSum {
        private int pairs, right;
        private double loss, chosen, rejected;

        void add(DpoLoss.Result result) {
            float[] c = Tensors.toFloats(result.chosenRewards());
            float[] r = Tensors.toFloats(result.rejectedRewards());
            loss += result.sum().item_double();
            for (int i = 0; i < c.length; i++) {
                chosen += c[i];
                rejected += r[i];
                right += c[i] > r[i] ? 1 : 0;
            }
            pairs += c.length;
        }

        Stats stats() {
            return new Stats(pairs, loss / pairs, (double) right / pairs, chosen / pairs, rejected / pairs);
        }
    }

    private static ObjectNode summary(Result result) {
        ObjectNode json = Json.object();
        json.put("steps", result.steps());
        json.put("total_steps", result.totalSteps());
        json.put("loss", result.lastLoss());
        if (result.evalBefore() != null) {
            result.evalBefore().putInto(json.putObject("eval_before"), "");
        }
        if (result.evalAfter() != null) {
            result.evalAfter().putInto(json.putObject("eval_after"), "");
        }
        json.put("data", result.dataSummary());
        return json;
    }

    private static ObjectNode evalRow(int step, Stats stats) {
        ObjectNode row = Json.object();
        row.put("step", step);
        stats.putInto(row, "eval_");
        return row;
    }
}
