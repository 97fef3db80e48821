package org.instruct4j.train.sft;

import static org.instruct4j.train.config.TrainingSettings.BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.DATA;
import static org.instruct4j.train.config.TrainingSettings.EPOCHS;
import static org.instruct4j.train.config.TrainingSettings.EVAL_FRACTION;
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
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Setting;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.data.TrainingData;
import org.instruct4j.train.data.TrainingPlan;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.Recipe;
import org.instruct4j.train.run.RecipeRunner;
import org.instruct4j.train.run.RecipeSession;
import org.instruct4j.train.run.Sums;

/**
 * Supervised fine-tuning, the recipe of GPT-4-LLM (stanford_alpaca's train.py): the examples are tokenized with the
 * prompt masked out of the loss, optionally packed several to a sequence, and every step minimises the mean
 * cross-entropy of the response and EOS tokens. The defaults are the paper's: Alpaca template, max length 512,
 * 3 epochs, learning rate 2e-5, cosine schedule with 3 % warmup, no weight decay, global batch 64 through gradient
 * accumulation, gradient clipping at 1.0, AdamW; LoRA defaults are alpaca-lora's. The model is delivered as a
 * Hugging Face model directory (or a PEFT adapter with {@code lora}); the rest of the run is {@link RecipeRunner}'s.
 */
public final class SftRecipe extends Recipe<EncodedExample, HeldOutLoss> {
    public static final Setting<Boolean> PACKING = Setting.flag("packing", false,
            "pack several examples into each sequence (attention and positions kept separate per example)");
    public static final Schema SETTINGS = TrainingSettings.schema(
            "training data, JSON array or JSONL: Alpaca {instruction, input, output}, ShareGPT {conversations: [{from, value}]} or "
                    + "{messages: [{role, content}]} rows", "sequences").plus(PACKING);
    static final String CONFIG_FILE = "sft_config.yaml";
    private static final String TARGETS = "target_tokens";

    public SftRecipe() {
        super("sft", SETTINGS, "sequences", HeldOutLoss::from);
    }

    /** Runs {@code settings}; progress goes to stderr unless quiet, messages to {@code log}. */
    public static SftResult run(Settings settings, Consumer<String> log) {
        return SftResult.of(new SftRecipe().train(settings, log));
    }

    public static SftResult run(Settings settings) {
        return SftResult.of(new SftRecipe().train(settings));
    }

    @Override
    protected RecipeSession<EncodedExample, HeldOutLoss> prepare(Settings settings, LoadedModel base, Consumer<String> log) {
        Tokenizer tokenizer = base.tokenizer();
        TrainingData data = TrainingData.load(settings.get(DATA), ExampleEncoder.of(settings, tokenizer),
                settings.get(EVAL_FRACTION), settings.get(SEED), settings.get(QUIET));
        TrainingPlan<EncodedExample> plan = new TrainingPlan<>(data.train(), settings.get(EPOCHS), settings.get(MAX_STEPS),
                settings.get(BATCH_SIZE), settings.get(MICRO_BATCH_SIZE), settings.get(PACKING), settings.get(MAX_LENGTH),
                settings.get(SEED), EncodedExample::inputLength);
        return new Session(settings, data, plan, FineTunedModel.of(settings, base.model(), Map.of()), tokenizer);
    }

    /** A fine-tuning run: its examples, plan and model. */
    private static final class Session implements RecipeSession<EncodedExample, HeldOutLoss> {
        private final Settings settings;
        private final TrainingData data;
        private final TrainingPlan<EncodedExample> plan;
        private final FineTunedModel model;
        private final Tokenizer tokenizer;
        private final int padId;

        Session(Settings settings, TrainingData data, TrainingPlan<EncodedExample> plan, FineTunedModel model, Tokenizer tokenizer) {
            this.settings = settings;
            this.data = data;
            this.plan = plan;
            this.model = model;
            this.tokenizer = tokenizer;
            this.padId = BaseModels.padId(tokenizer);
        }

        @Override
        public String dataSummary() {
            return data.summary(settings.get(MAX_LENGTH));
        }

        @Override
        public FineTunedModel model() {
            return model;
        }

        @Override
        public TrainingPlan<EncodedExample> plan() {
            return plan;
        }

        @Override
        public boolean hasHeldOut() {
            return !data.eval().isEmpty();
        }

        @Override
        public Sums newSums() {
            return new Sums(TARGETS);
        }

        @Override
        public long lossUnits(List<List<List<EncodedExample>>> microBatches) {
            return microBatches.stream().flatMap(List::stream).flatMap(List::stream).mapToLong(EncodedExample::targetCount).sum();
        }

        @Override
        public Tensor loss(List<List<EncodedExample>> microBatch, Sums sums) {
            SequenceBatch batch = SequenceBatch.of(microBatch, padId, settings.get(PACKING), model.model().device());
            sums.add(Sums.INPUT_TOKENS, batch.inputTokens());
            sums.add(TARGETS, batch.targetTokens());
            return TokenLoss.sum(model.model(), batch);
        }

        @Override
        public void putStepInto(ObjectNode row, Sums sums, long units) {
            row.put(TARGETS, units);
        }

        /** The mean token loss over the held-out examples, in their order. */
        @Override
        public HeldOutLoss evaluate() {
            List<EncodedExample> examples = data.eval();
            int size = settings.get(MICRO_BATCH_SIZE);
            double sum = 0;
            long targets = 0;
            for (int i = 0; i < examples.size(); i += size) {
                List<List<EncodedExample>> rows = new ArrayList<>();
                for (EncodedExample example : examples.subList(i, Math.min(examples.size(), i + size))) {
                    rows.add(List.of(example));
                }
                try (PointerScope scope = new PointerScope()) {
                    SequenceBatch batch = SequenceBatch.of(rows, padId, false, model.model().device());
                    sum += TokenLoss.sum(model.model(), batch).item_double();
                    targets += batch.targetTokens();
                }
            }
            return new HeldOutLoss(sum / targets);
        }

        @Override
        public void save(Path dir, boolean checkpoint) {
            model.save(dir, tokenizer.bosId(), tokenizer.eosId(), padId);
        }
    }
}
