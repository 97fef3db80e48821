package org.instruct4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.loss.PairwiseLoss;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.reward.OptRewardModelTest;
import org.instruct4j.train.reward.RewardModel;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recomputing each layer in the backward pass gives the loss and every gradient of keeping the activations. */
class ActivationCheckpointingTest {
    private static final List<AlpacaExample> EXAMPLES = List.of(
            new AlpacaExample("Say hi.", "", "Hi there, how are you?"),
            new AlpacaExample("Name a colour.", "", "Blue."),
            new AlpacaExample("Count to three.", "", "One, two, three."));

    @TempDir
    Path dir;

    /** The loss and every trained weight's gradient after one backward pass of {@code loss} at a fixed seed. */
    private record Outcome(double loss, Map<String, float[]> gradients) {}

    private static Outcome backward(FineTunedModel model, Function<CausalLm, Tensor> loss) {
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(11);
            model.training(true);
            Tensor value = loss.apply(model.model());
            value.backward();
            model.completeBackward();
            Map<String, float[]> gradients = new LinkedHashMap<>();
            model.weights().master().forEach((name, w) -> gradients.put(name, Tensors.toFloats(w.grad())));
            return new Outcome(value.item_double(), gradients);
        }
    }

    private static void assertSame(Outcome plain, Outcome checkpointed) {
        assertThat(checkpointed.loss()).isCloseTo(plain.loss(), within(1e-5));
        assertThat(checkpointed.gradients().keySet()).containsExactlyElementsOf(plain.gradients().keySet());
        plain.gradients().forEach((name, expected) -> {
            assertThat(checkpointed.gradients().get(name)).as(name).containsExactly(expected, within(1e-5f));
        });
        double firstLayer = plain.gradients().entrySet().stream().filter(e -> e.getKey().contains("layers.0."))
                .mapToDouble(e -> largest(e.getValue())).max().orElse(0);
        assertThat(firstLayer).as("the first layer, recomputed last, has gradients far above the tolerance").isGreaterThan(1e-3);
    }

    private static double largest(float[] values) {
        double largest = 0;
        for (float v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        return largest;
    }

    private static LoadedModel stories() {
        return ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32, Tensors.defaultDevice());
    }

    private static SequenceBatch batch(LoadedModel base, boolean packing) {
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, base.tokenizer()), 128);
        List<EncodedExample> encoded = EXAMPLES.stream().map(e -> encoder.encode(e, 0)).toList();
        List<List<EncodedExample>> rows = packing ? List.of(encoded.subList(0, 2), encoded.subList(2, 3))
                : encoded.stream().map(List::of).toList();
        return SequenceBatch.of(rows, BaseModels.padId(base.tokenizer()), packing, Tensors.defaultDevice());
    }

    @Test
    void fullFineTuningOfLlamaOnPackedRowsGetsTheSameLossAndGradients() {
        Supplier<FineTunedModel> model = () -> FineTunedModel.full(stories().model(), Precision.FP32, null);
        SequenceBatch batch = batch(stories(), true);

        Outcome plain = backward(model.get(), lm -> TokenLoss.sum(lm, batch));
        Outcome checkpointed = backward(model.get().checkpointActivations(true), lm -> TokenLoss.sum(lm, batch));

        assertThat(plain.gradients()).containsKeys("model.embed_tokens.weight", "model.norm.weight");
        assertSame(plain, checkpointed);
    }

    @Test
    void loraAdaptersWithDropoutGetTheSameGradientsAsTheRecomputedLayersReplayTheMasks() {
        LoraSpec spec = new LoraSpec(4, 8, 0.3, List.of("q_proj", "v_proj", "down_proj"));
        Supplier<FineTunedModel> model = () -> {
            FineTunedModel lora = FineTunedModel.lora(stories().model(), Precision.FP32, spec, 5, null, "stories260K");
            try (NoGradGuard noGrad = new NoGradGuard()) { // B starts at zero, which would leave A without a gradient
                torch.manual_seed(3);
                lora.weights().master().values().forEach(w -> w.copy_(torch.randn_like(w).mul(new Scalar(0.1))));
            }
            return lora;
        };
        SequenceBatch batch = batch(stories(), false);

        Outcome plain = backward(model.get(), lm -> TokenLoss.sequenceLogProbs(lm, batch).sum());
        Outcome checkpointed = backward(model.get().checkpointActivations(true), lm -> TokenLoss.sequenceLogProbs(lm, batch).sum());
        Outcome otherMasks;
        try (PointerScope scope = new PointerScope()) {
            FineTunedModel other = model.get();
            torch.manual_seed(12);
            other.training(true);
            otherMasks = new Outcome(TokenLoss.sequenceLogProbs(other.model(), batch).sum().item_double(), Map.of());
        }

        assertThat(otherMasks.loss()).as("dropout is on, so another seed gives another loss").isNotCloseTo(plain.loss(), within(1e-5));
        assertThat(plain.gradients()).hasSize(3 * 5 * 2);
        assertSame(plain, checkpointed);
    }

    @Test
    void anOptRewardModelGetsTheSameGradients() throws Exception {
        Path opt = OptRewardModelTest.randomOpt(dir.resolve("opt"));
        Supplier<FineTunedModel> model = () -> {
            CausalLm backbone = RewardModel.backbone(ModelDirectory.load(opt, Precision.FP32, Tensors.defaultDevice()).model());
            return FineTunedModel.full(backbone, Precision.FP32, null, Map.of(RewardModel.HEAD, RewardModel.initialHead(backbone, 1)));
        };
        LoadedModel base = ModelDirectory.load(opt, Precision.FP32, Tensors.defaultDevice());
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, base.tokenizer()), 128);
        Function<FineTunedModel, Function<CausalLm, Tensor>> pairwise = m -> lm -> {
            RewardModel reward = new RewardModel(lm, m.head(RewardModel.HEAD), base.tokenizer(), encoder, BaseModels.padId(base.tokenizer()));
            List<int[]> sequences = EXAMPLES.stream().map(reward::encode).toList();
            return PairwiseLoss.of(reward.rewards(sequences), new long[] {0, 0}, new long[] {1, 2}, new float[2]).sum();
        };

        FineTunedModel plainModel = model.get();
        Outcome plain = backward(plainModel, pairwise.apply(plainModel));
        FineTunedModel checkpointedModel = model.get().checkpointActivations(true);
        Outcome checkpointed = backward(checkpointedModel, pairwise.apply(checkpointedModel));

        assertThat(plain.gradients()).containsKeys("model.decoder.embed_positions.weight", RewardModel.HEAD);
        assertSame(plain, checkpointed);
    }
}
