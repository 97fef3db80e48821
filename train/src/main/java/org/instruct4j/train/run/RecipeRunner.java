package org.instruct4j.train.run;

import static org.instruct4j.train.config.TrainingSettings.LR;
import static org.instruct4j.train.config.TrainingSettings.LR_SCHEDULER;
import static org.instruct4j.train.config.TrainingSettings.DIST_BACKEND;
import static org.instruct4j.train.config.TrainingSettings.DIST_TIMEOUT;
import static org.instruct4j.train.config.TrainingSettings.GRADIENT_CHECKPOINTING;
import static org.instruct4j.train.config.TrainingSettings.MAX_GRAD_NORM;
import static org.instruct4j.train.config.TrainingSettings.MICRO_BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.PROMPT_FORMAT;
import static org.instruct4j.train.config.TrainingSettings.QUIET;
import static org.instruct4j.train.config.TrainingSettings.SEED;
import static org.instruct4j.train.config.TrainingSettings.WARMUP_RATIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.pytorch.NoGradGuard;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.dist.Collectives;
import org.instruct4j.train.dist.GradientBuckets;
import org.instruct4j.train.dist.Shards;
import org.instruct4j.train.dist.World;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.optim.LearningRateSchedule;

/**
 * The skeleton every recipe runs in, as torchtune's recipes share theirs: open the run directory, notice a run that has
 * already finished (before the model is loaded or the data tokenized), check that the base model can honour the
 * settings (a bad one stops here, exit 2, before anything is loaded or written), load the base model,
 * let the recipe tokenize its data and build what it trains, plan the steps, restore the last checkpoint when
 * resuming, then step, log, evaluate and checkpoint on {@link StepCadence}'s schedule and finally save the model and
 * the summary that marks the run finished. A run killed at any point continues with {@code --resume} from its last
 * checkpoint and computes exactly what the uninterrupted run would have.
 *
 * <p>Distributed (a worker of {@code train --nproc N}, {@link World}): every process loads the model and plans the
 * whole run, trains on its shard of each step's batch ({@link Shards}), its gradients summed over the processes in
 * buckets during the backward pass ({@link GradientBuckets}), so every process takes the same optimizer step. The
 * step's sums (loss, tokens, ...) are summed too, so the loss logged is the mean over the whole batch. Rank 0 alone
 * evaluates and writes the run directory, whose files (checkpoints included) are those of a single-process run:
 * a run resumes with any number of processes.
 *
 * <p>Output directory: the model as the recipe delivers it, {@code NAME_config.yaml} (the resolved settings),
 * {@code metrics.jsonl} (a row per logged step; the held-out evaluation at step 0, before training, and at every
 * evaluation), {@code checkpoints/step-N/}, and {@code train_summary.json} once finished.
 */
public final class RecipeRunner<I, E extends Evaluation> {
    private final Recipe<I, E> recipe;
    private final Settings settings;
    private final TrainingRun run;
    private final RecipeSession<I, E> session;
    private final Consumer<String> log;
    private final Collectives collectives;
    private final World world;

    private RecipeRunner(Recipe<I, E> recipe, Settings settings, TrainingRun run, RecipeSession<I, E> session, Consumer<String> log,
                         Collectives collectives) {
        this.recipe = recipe;
        this.settings = settings;
        this.run = run;
        this.session = session;
        this.log = log;
        this.collectives = collectives;
        this.world = collectives == null ? World.single() : collectives.world();
    }

    /** Runs {@code recipe} with {@code settings}; messages go to {@code log}, progress to stderr unless quiet. */
    public static <I, E extends Evaluation> RunResult<E> run(Recipe<I, E> recipe, Settings settings, Consumer<String> log) {
        HugePages.enable();
        Settings resolved = TrainingSettings.withHardwarePrecision(settings);
        Optional<World> world = World.fromEnvironment(System.getenv(), resolved.get(DIST_BACKEND), resolved.get(DIST_TIMEOUT));
        int processes = TrainingSettings.worldSize(resolved);
        if (world.isEmpty() && processes > 1) {
            throw new BadInputException(processes + " processes (--nproc, --nnodes) are started by the instruct4j train command, "
                    + "which launches them; this process is not one of its workers");
        }
        if (world.isPresent() && world.get().size() != processes) {
            throw new IllegalStateException("this worker's WORLD_SIZE " + world.get().size() + " is not nproc x nnodes = " + processes);
        }
        if (world.isEmpty() || !world.get().distributed()) {
            return start(recipe, resolved, log, null);
        }
        try (Collectives collectives = Collectives.join(world.get())) {
            // rank 0 speaks for the run; the others show only their errors
            return world.get().writes() ? start(recipe, resolved, log, collectives)
                    : start(recipe, resolved.with(QUIET, true), message -> { }, collectives);
        }
    }

    private static <I, E extends Evaluation> RunResult<E> start(Recipe<I, E> recipe, Settings resolved, Consumer<String> log,
                                                                Collectives collectives) {
        TrainingRun run = TrainingRun.open(resolved, recipe.name() + "_config.yaml");
        if (collectives != null) {
            collectives.barrier(); // every process has looked at the run directory before rank 0 writes into it
            if (!collectives.world().writes()) {
                run = run.readOnly();
            }
        }
        Optional<JsonNode> finished = run.finishedSummary();
        if (finished.isPresent()) {
            log.accept("run in " + run.output() + " already finished; nothing to do");
            return fromSummary(recipe, finished.get(), run.output());
        }
        BaseModels.checkHonoured(resolved);
        LoadedModel base = BaseModels.load(resolved);
        RecipeSession<I, E> session = recipe.prepare(resolved, base, log);
        log.accept("data: " + session.dataSummary());
        if (collectives != null) {
            int size = collectives.world().size();
            log.accept(String.format("distributed: %d processes (%s), each training on %d of the %d %s of a step, in micro-batches of %d",
                    size, collectives.world().backend(), resolved.get(TrainingSettings.BATCH_SIZE) / size,
                    resolved.get(TrainingSettings.BATCH_SIZE), recipe.rows(), resolved.get(MICRO_BATCH_SIZE)));
        }
        return new RecipeRunner<>(recipe, resolved, run, session, log, collectives).train();
    }

    /** The same, logging to stderr unless the settings ask for quiet. */
    public static <I, E extends Evaluation> RunResult<E> run(Recipe<I, E> recipe, Settings settings) {
        return run(recipe, settings, settings.get(QUIET) ? message -> { } : System.err::println);
    }

    private RunResult<E> train() {
        FineTunedModel model = session.model();
        AdamW optimizer = model.optimizer(settings);
        TrainingPlan<I> plan = session.plan();
        int total = plan.totalSteps();
        LearningRateSchedule schedule = LearningRateSchedule.of(settings.get(LR_SCHEDULER), settings.get(LR), total,
                settings.get(WARMUP_RATIO));
        int start = run.start(model::restore, optimizer, total, log);
        int concurrent = TrainingSettings.concurrentMicroBatches(settings, model.model().device().is_cpu());
        log.accept(model.describe(settings, total, recipe.rows(), concurrent));
        GradientStep gradientStep = new GradientStep(model, optimizer, settings.get(MAX_GRAD_NORM), settings.get(SEED))
                .concurrentMicroBatches(concurrent);
        String tunables = System.getenv("GLIBC_TUNABLES");
        if (concurrent > 1 && tunables != null && tunables.contains("arena_max=1")) {
            log.accept("note: the " + concurrent + " concurrent micro-batches allocate from one malloc arena (GLIBC_TUNABLES has "
                    + "arena_max=1, as the launcher sets it for what the command line asks), which costs them some speed: "
                    + "give the settings on the command line, or set GLIBC_TUNABLES=$(bin/train-malloc --concurrent-micro-batches="
                    + concurrent + ")");
        }
        GradientBuckets buckets = null;
        if (collectives != null) {
            buckets = new GradientBuckets(collectives, model.weights(), GradientBuckets.DEFAULT_CAP_MB << 20,
                    settings.get(GRADIENT_CHECKPOINTING));
            gradientStep.synchronizedBy(buckets);
        }
        StepCadence cadence = new StepCadence(settings, total, session.hasHeldOut());
        Path output = run.output();
        E before;
        E after = null;
        double loss = Double.NaN;
        int step = start;
        try (MetricsLog metrics = world.writes() ? MetricsLog.open(output, start) : null;
             Progress progress = Progress.create(recipe.name(), total - start, "steps", settings.get(QUIET) || !world.writes())) {
            if (session.hasHeldOut() && start == 0 && world.writes()) {
                before = evaluate();
                metrics.append(evaluationRow(0, before));
                log.accept("before training: " + before.describe());
            } else {
                before = metrics == null ? null : metrics.keptRow(0).map(recipe::evaluationFrom).orElse(null);
            }
            while (runs(cadence, step)) {
                double lr = schedule.at(step);
                List<List<List<I>>> microBatches = plan.step(step);
                long units = session.lossUnits(microBatches);
                List<List<List<I>>> mine = world.distributed()
                        ? Shards.microBatches(microBatches, world.rank(), world.size(), settings.get(MICRO_BATCH_SIZE)) : microBatches;
                GradientStep.Outcome outcome = gradientStep.run(step, lr, mine, units, session.newSums(), session::loss);
                if (collectives != null) {
                    outcome.sums().set(collectives.sum(outcome.sums().toArray()));
                }
                step++;
                loss = outcome.sums().get(Sums.LOSS) / units;
                double tokensPerSecond = outcome.sums().get(Sums.INPUT_TOKENS) / outcome.seconds();
                boolean evaluate = cadence.evaluates(step) && world.writes();
                if (evaluate) {
                    after = evaluate();
                }
                if (metrics != null && cadence.logs(step, evaluate)) {
                    ObjectNode row = Json.object();
                    row.put("step", step);
                    row.put("epoch", Math.round(plan.epochAfter(step) * 1e4) / 1e4);
                    row.put("loss", loss);
                    row.put("lr", lr);
                    row.put("grad_norm", outcome.gradNorm());
                    row.put("tokens_per_second", Math.round(tokensPerSecond * 10) / 10.0);
                    if (outcome.peakBytes() >= 0) {
                        row.put("peak_rss_mb", outcome.peakBytes() >> 20);
                    }
                    session.putStepInto(row, outcome.sums(), units);
                    if (evaluate) {
                        after.putInto(row);
                    }
                    metrics.append(row);
                }
                if (cadence.checkpoints(step)) {
                    checkpoint(step, plan, optimizer);
                }
                progress.step();
                progress.status(String.format("step %d/%d loss %.4f lr %.2e %,.0f tok/s%s", step, total, loss, lr, tokensPerSecond,
                        after == null ? "" : ", " + after.describe()));
            }
        }
        if (buckets != null) {
            log.accept(String.format("gradient all-reduce: %d buckets per step; %d of the %d all-reduces started inside the backward pass",
                    buckets.bucketCount(), buckets.overlappedBuckets(), (long) buckets.bucketCount() * (step - start)));
        }
        boolean finished = cadence.finished(step);
        if (!finished) {
            checkpoint(step, plan, optimizer);
            log.accept(cadence.stoppedMessage(step));
        }
        if (world.writes()) {
            save(output, false);
        }
        RunResult<E> result = new RunResult<>(output, step, total, loss, before, after, finished, session.dataSummary());
        if (finished && world.writes()) {
            session.finish(output, after);
            run.finish(summary(result));
        }
        log.accept(String.format("%s: %d steps, loss %.4f%s -> %s", finished ? "done" : "stopped", step, loss,
                after == null ? "" : ", " + after.describe(), output));
        return result;
    }

    /** Whether to take step {@code step}; in a distributed run rank 0 decides (max-time), the others follow. */
    private boolean runs(StepCadence cadence, int step) {
        boolean runs = cadence.runs(step);
        return collectives == null ? runs : collectives.fromRank0(runs);
    }

    private E evaluate() {
        session.model().training(false);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return session.evaluate();
        }
    }

    private void checkpoint(int step, TrainingPlan<I> plan, AdamW optimizer) {
        run.checkpoint(step, plan.totalSteps(), plan.epochAfter(step), dir -> save(dir, true), optimizer);
    }

    /** The recipe's model, with the prompt format it was trained with, which the commands that load it default to. */
    private void save(Path dir, boolean checkpoint) {
        session.save(dir, checkpoint);
        PromptFormat.parse(settings.get(PROMPT_FORMAT)).recordIn(dir);
    }

    private static ObjectNode evaluationRow(int step, Evaluation evaluation) {
        ObjectNode row = Json.object();
        row.put("step", step);
        evaluation.putInto(row);
        return row;
    }

    private static ObjectNode summary(RunResult<?> result) {
        ObjectNode json = Json.object();
        json.put("steps", result.steps());
        json.put("total_steps", result.totalSteps());
        json.put("loss", result.lastLoss());
        json.put("data", result.dataSummary());
        if (result.evalBefore() != null) {
            result.evalBefore().putSummaryInto(json.putObject("eval_before"));
        }
        if (result.evalAfter() != null) {
            result.evalAfter().putSummaryInto(json.putObject("eval_after"));
        }
        return json;
    }

    private static <E extends Evaluation> RunResult<E> fromSummary(Recipe<?, E> recipe, JsonNode json, Path output) {
        return new RunResult<>(output, json.path("steps").asInt(), json.path("total_steps").asInt(), json.path("loss").asDouble(),
                json.has("eval_before") ? recipe.evaluationFrom(json.get("eval_before")) : null,
                json.has("eval_after") ? recipe.evaluationFrom(json.get("eval_after")) : null, true, json.path("data").asText());
    }
}
