package org.instruct4j.train.dpo;

import static org.instruct4j.train.config.TrainingSettings.BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.EPOCHS;
import static org.instruct4j.train.config.TrainingSettings.EVAL_FRACTION;
import static org.instruct4j.train.config.TrainingSettings.LR;
import static org.instruct4j.train.config.TrainingSettings.MAX_LENGTH;
import static org.instruct4j.train.config.TrainingSettings.MAX_STEPS;
import static org.instruct4j.train.config.TrainingSettings.MICRO_BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.QUIET;
import static org.instruct4j.train.config.TrainingSettings.SEED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Setting;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.generate.LogLikelihood;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.loss.DpoLoss;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.EncodedGroup;
import org.instruct4j.train.preference.PreferenceData;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.Recipe;
import org.instruct4j.train.run.RecipeRunner;
import org.instruct4j.train.run.RecipeSession;
import org.instruct4j.train.run.Sums;

/**
 * Direct Preference Optimization (Rafailov et al., 2023) on comparison data: every pair of an instruction's responses
 * with different scores is a (chosen, rejected) pair, prompts are held out, and the frozen reference model's
 * log-probabilities of every response are computed once, before the first update: the reference is the base model
 * exactly as loaded, which no step ever changes (TRL's precompute_ref_log_probs; it also saves a forward pass per
 * step). A resumed run recomputes the reference from the base, not from the checkpoint. Defaults are Zephyr's DPO
 * recipe (one epoch, learning rate 5e-7, cosine schedule) with TRL's beta of 0.1 and 10 % of the prompts held out.
 *
 * <p>The policy is delivered as {@code train sft} delivers its model; metrics.jsonl has per step the loss, reward
 * accuracy, the chosen and rejected implicit rewards beta * log(pi / ref) and their margin, the same on the held-out
 * pairs at every evaluation. The rest of the run is {@link RecipeRunner}'s.
 */
public final class DpoRecipe extends Recipe<DpoRecipe.PreferencePair, DpoStats> {
    public static final Setting<Double> BETA = Setting.number("beta", 0.1,
            "DPO beta: how far the policy may move from the reference (smaller = further)").must(v -> v > 0, "must be positive");
    public static final Setting<String> REFERENCE_ENGINE = Setting.choice("reference-engine", "auto",
            "engine that computes the reference model's log-probabilities (once, before training): java (the CPU "
                    + "engine), torch, auto (java on the CPU)", "auto", "java", "torch");
    public static final Schema SETTINGS = TrainingSettings.schema("comparison data (chosen = the higher-scored response): v2 "
                    + "{user_input, responses_and_scores}, v1, {instruction, input, output: [chosen, rejected]} or "
                    + "{prompt, chosen, rejected}; JSON array or JSONL", "preference pairs")
            .with(EPOCHS.withDefault(1)).with(LR.withDefault(5e-7)).with(BATCH_SIZE.withDefault(32))
            .with(MICRO_BATCH_SIZE.withDefault(2)).with(EVAL_FRACTION.withDefault(0.1))
            .plus(BETA).plus(REFERENCE_ENGINE);
    static final String CONFIG_FILE = "dpo_config.yaml";

    /** One (chosen, rejected) pair, tokenized, with the reference model's log-probability of each response. */
    public record PreferencePair(long row, EncodedExample chosen, EncodedExample rejected, double referenceChosen,
                                 double referenceRejected) {}

    public DpoRecipe() {
        super("dpo", SETTINGS, "pairs", DpoStats::from);
    }

    @Override
    protected RecipeSession<PreferencePair, DpoStats> prepare(Settings settings, LoadedModel base, Consumer<String> log) {
        Tokenizer tokenizer = base.tokenizer();
        PreferenceData data = PreferenceData.load(settings, ExampleEncoder.of(settings, tokenizer));
        FineTunedModel model = FineTunedModel.of(settings, base.model(), Map.of());
        int padId = BaseModels.padId(tokenizer);
        List<PreferencePair> train = withReference(settings, model, data.train(), padId, "reference log-probs (train)");
        List<PreferencePair> eval = withReference(settings, model, data.eval(), padId, "reference log-probs (held out)");
        TrainingPlan<PreferencePair> plan = new TrainingPlan<>(train, settings.get(EPOCHS), settings.get(MAX_STEPS),
                settings.get(BATCH_SIZE), settings.get(MICRO_BATCH_SIZE), settings.get(SEED));
        log.accept("DPO beta " + settings.get(BETA));
        return new Session(settings, data.summary(settings.get(MAX_LENGTH)), eval, plan, model, tokenizer, padId);
    }

    /** Every pair of {@code groups} as (chosen, rejected), with the reference's log-probabilities, before any update. */
    private static List<PreferencePair> withReference(Settings settings, FineTunedModel model, List<EncodedGroup> groups, int padId,
                                                      String task) {
        List<EncodedExample[]> pairs = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        for (EncodedGroup group : groups) {
            for (ComparisonGroup.Pair pair : group.pairs()) {
                pairs.add(new EncodedExample[] {group.responses().get(pair.higher()), group.responses().get(pair.lower())});
                rows.add(group.row());
            }
        }
        if (EngineChoice.parse(settings.get(REFERENCE_ENGINE)).resolve() == EngineChoice.JAVA) {
            return withReferenceOnCpuEngine(settings, model, pairs, rows, task);
        }
        List<PreferencePair> scored = new ArrayList<>();
        model.training(false);
        int chunk = settings.get(MICRO_BATCH_SIZE);
        try (NoGradGuard noGrad = new NoGradGuard(); Progress progress = Progress.create(task, pairs.size(), "pairs", settings.get(QUIET))) {
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
    private static List<PreferencePair> withReferenceOnCpuEngine(Settings settings, FineTunedModel model, List<EncodedExample[]> pairs, List<Long> rows,
                                                          String task) {
        List<PreferencePair> scored = new ArrayList<>();
        try (CpuEngine engine = CpuEngine.fromTorch(model.model(), InferenceOptions.defaults());
             Progress progress = Progress.create(task, pairs.size(), "pairs", settings.get(QUIET))) {
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

    /** A DPO run: its pairs with their reference log-probabilities, plan and policy. */
    private record Session(Settings settings, String dataSummary, List<PreferencePair> eval, TrainingPlan<PreferencePair> plan,
                           FineTunedModel model, Tokenizer tokenizer, int padId) implements RecipeSession<PreferencePair, DpoStats> {
        @Override
        public boolean hasHeldOut() {
            return !eval.isEmpty();
        }

        @Override
        public Sums newSums() {
            return DpoStats.newSums();
        }

        @Override
        public long lossUnits(List<List<List<PreferencePair>>> microBatches) {
            return microBatches.stream().mapToLong(List::size).sum();
        }

        @Override
        public Tensor loss(List<List<PreferencePair>> microBatch, Sums sums) {
            return forward(microBatch.stream().flatMap(List::stream).toList(), sums).sum();
        }

        @Override
        public void putStepInto(ObjectNode row, Sums sums, long units) {
            DpoStats.of(sums).putStepInto(row);
        }

        /** The held-out pairs, in micro-batches. */
        @Override
        public DpoStats evaluate() {
            Sums sums = DpoStats.newSums();
            int size = settings.get(MICRO_BATCH_SIZE);
            for (int start = 0; start < eval.size(); start += size) {
                try (PointerScope scope = new PointerScope()) {
                    sums.add(Sums.LOSS, forward(eval.subList(start, Math.min(eval.size(), start + size)), sums).sum().item_double());
                }
            }
            return DpoStats.of(sums);
        }

        /** The policy's log-probabilities of both responses of every pair, and the DPO loss against the reference's. */
        private DpoLoss.Result forward(List<PreferencePair> pairs, Sums sums) {
            List<EncodedExample[]> examples = pairs.stream().map(p -> new EncodedExample[] {p.chosen(), p.rejected()}).toList();
            SequenceBatch batch = interleaved(examples, padId, model);
            Tensor logProbs = TokenLoss.sequenceLogProbs(model.model(), batch);
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
            DpoLoss.Result result = DpoLoss.of(logProbs.index_select(0, Tensors.longs(chosen, device, n)),
                    logProbs.index_select(0, Tensors.longs(rejected, device, n)),
                    Tensors.floats(referenceChosen, n).to(device, logProbs.scalar_type()),
                    Tensors.floats(referenceRejected, n).to(device, logProbs.scalar_type()), settings.get(BETA));
            DpoStats.add(sums, result);
            sums.add(Sums.INPUT_TOKENS, batch.inputTokens());
            return result;
        }

        @Override
        public void save(Path dir, boolean checkpoint) {
            model.save(dir, tokenizer.bosId(), tokenizer.eosId(), padId);
        }
    }
}
