package org.instruct4j.train.reward;

import static org.instruct4j.train.config.TrainingSettings.BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.EPOCHS;
import static org.instruct4j.train.config.TrainingSettings.EVAL_FRACTION;
import static org.instruct4j.train.config.TrainingSettings.LR;
import static org.instruct4j.train.config.TrainingSettings.MAX_LENGTH;
import static org.instruct4j.train.config.TrainingSettings.MAX_STEPS;
import static org.instruct4j.train.config.TrainingSettings.MICRO_BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.SEED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Setting;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.loss.PairwiseLoss;
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
 * Reward-model training, GPT-4-LLM section 4 (after InstructGPT): a scalar head on the base model reads the last
 * token of prompt + response + EOS; every step scores all responses of its prompts once and takes
 * -log sigmoid(r_high - r_low) over every pair of responses with different scores (C(K, 2) pairs per prompt, ties
 * skipped). Prompts, not pairs, are held out, and the held-out evaluation reports pairwise accuracy against the
 * length-only baseline and the rewards per response source. Defaults are InstructGPT's reward-model choices
 * (GPT-4-LLM published none): one epoch, 64 prompts per step, learning rate 1e-5, 10 % of the prompts held out.
 *
 * <p>The model is delivered in transformers' sequence-classification layout (see {@link RewardModel}), with
 * {@code reward_report.html} beside it once finished; the rest of the run is {@link RecipeRunner}'s.
 */
public final class RewardRecipe extends Recipe<EncodedGroup, RewardEvaluation> {
    public static final Setting<Double> SCORE_MARGIN = Setting.number("score-margin", 0.0, "margin per point of score "
            + "difference in -log sigmoid(r_high - r_low - margin * (score_high - score_low)) (0 = the plain pairwise loss)")
            .must(v -> v >= 0, "cannot be negative");
    public static final Schema SETTINGS = TrainingSettings.schema("comparison data: v2 {user_input, responses_and_scores}, "
                    + "v1 {user_input, completion_a, completion_b}, {instruction, input, output: [chosen, rejected]} or "
                    + "{prompt, chosen, rejected}; JSON array or JSONL", "prompts (each with all its pairs)")
            .with(EPOCHS.withDefault(1)).with(LR.withDefault(1e-5)).with(EVAL_FRACTION.withDefault(0.1))
            .plus(SCORE_MARGIN);
    static final String CONFIG_FILE = "reward_config.yaml";
    private static final String PAIRS = "pairs";
    private static final String RIGHT = "right";

    public RewardRecipe() {
        super("reward", SETTINGS, "prompts", RewardEvaluation::from);
    }

    @Override
    protected RecipeSession<EncodedGroup, RewardEvaluation> prepare(Settings settings, LoadedModel base, Consumer<String> log) {
        Tokenizer tokenizer = base.tokenizer();
        ExampleEncoder encoder = ExampleEncoder.of(settings, tokenizer);
        PreferenceData data = PreferenceData.load(settings, encoder);
        CausalLm backbone = RewardModel.backbone(base.model());
        FineTunedModel model = FineTunedModel.of(settings, backbone,
                Map.of(RewardModel.HEAD, RewardModel.initialHead(backbone, settings.get(SEED))));
        int padId = BaseModels.padId(tokenizer);
        RewardModel reward = new RewardModel(model.model(), model.head(RewardModel.HEAD), tokenizer, encoder, padId);
        TrainingPlan<EncodedGroup> plan = new TrainingPlan<>(data.train(), settings.get(EPOCHS), settings.get(MAX_STEPS),
                settings.get(BATCH_SIZE), settings.get(MICRO_BATCH_SIZE), settings.get(SEED));
        log.accept("a reward head on the last token");
        return new Session(settings, data, plan, model, reward, padId);
    }

    /** A reward-model run: its comparison data, plan, model with its head. */
    private record Session(Settings settings, PreferenceData data, TrainingPlan<EncodedGroup> plan, FineTunedModel model,
                           RewardModel reward, int padId) implements RecipeSession<EncodedGroup, RewardEvaluation> {
        @Override
        public String dataSummary() {
            return data.summary(settings.get(MAX_LENGTH));
        }

        @Override
        public boolean hasHeldOut() {
            return !data.eval().isEmpty();
        }

        @Override
        public Sums newSums() {
            return new Sums(PAIRS, RIGHT);
        }

        @Override
        public long lossUnits(List<List<List<EncodedGroup>>> microBatches) {
            return microBatches.stream().mapToInt(micro -> PreferenceData.pairs(flat(micro))).sum();
        }

        /** Every response of the micro-batch's prompts scored once, every pair compared. */
        @Override
        public Tensor loss(List<List<EncodedGroup>> microBatch, Sums sums) {
            PairBatch batch = PairBatch.of(flat(microBatch), settings.get(SCORE_MARGIN));
            PairwiseLoss.Result result = PairwiseLoss.of(reward.rewards(batch.sequences()), batch.higher(), batch.lower(),
                    batch.margins());
            for (float difference : result.differences()) {
                sums.add(RIGHT, difference > 0 ? 1 : 0);
            }
            sums.add(PAIRS, result.differences().length);
            sums.add(Sums.INPUT_TOKENS, batch.sequences().stream().mapToInt(tokens -> tokens.length).sum());
            return result.sum();
        }

        @Override
        public void putStepInto(ObjectNode row, Sums sums, long units) {
            row.put("accuracy", sums.get(RIGHT) / units);
            row.put(PAIRS, units);
        }

        /** Without gradients twice the sequences of a training micro-batch of pairs fit in the same memory. */
        @Override
        public RewardEvaluation evaluate() {
            return RewardEvaluation.of(reward, data.eval(), settings.get(MICRO_BATCH_SIZE) * 2);
        }

        @Override
        public void save(Path dir, boolean checkpoint) {
            RewardModel.save(dir, model.masterModel(), model.weights().master().get(RewardModel.HEAD),
                    BaseModels.tokenizerSource(settings), settings.get(MAX_LENGTH), padId);
            if (checkpoint && model.isLora()) {
                model.saveAdapters(dir); // a checkpoint keeps the adapters themselves, to resume from
            }
        }

        @Override
        public void finish(Path output, RewardEvaluation last) {
            if (last != null) {
                RewardReport.write(output, last, dataSummary());
            }
        }
    }

    /** Without packing every sequence of a micro-batch holds one comparison group. */
    private static List<EncodedGroup> flat(List<List<EncodedGroup>> microBatch) {
        return microBatch.stream().flatMap(List::stream).toList();
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
}
