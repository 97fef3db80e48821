package org.instruct4j.train.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.loss.DpoLoss;
import org.instruct4j.train.loss.PairwiseLoss;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;

/** Gradients reach what a recipe trains and nothing else. */
class GradientFlowTest {
    static final AlpacaExample GOOD = new AlpacaExample("Say hi.", "", "Hi there!");
    static final AlpacaExample BAD = new AlpacaExample("Say hi.", "", "No.");

    static LoadedModel stories() {
        return ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32, Tensors.defaultDevice());
    }

    @Test
    void aLoraRewardModelSendsGradientsOnlyToTheAdaptersAndTheHead() {
        LoadedModel base = stories();
        CausalLm backbone = RewardModel.backbone(base.model());
        FineTunedModel model = FineTunedModel.lora(backbone, Precision.FP32, new LoraSpec(4, 8, 0, List.of("q_proj", "v_proj")), 1,
                null, "stories260K", Map.of(RewardModel.HEAD, RewardModel.initialHead(backbone, 1)));
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, base.tokenizer()), 128);
        RewardModel reward = new RewardModel(model.model(), model.head(RewardModel.HEAD), base.tokenizer(), encoder,
                BaseModels.padId(base.tokenizer()));

        Tensor rewards = reward.rewards(List.of(reward.encode(GOOD), reward.encode(BAD)));
        PairwiseLoss.of(rewards, new long[] {0}, new long[] {1}, new float[1]).sum().backward();

        model.model().weights().forEach((name, weight) ->
                assertThat(weight.grad().defined()).as("frozen base weight %s", name).isFalse());
        assertThat(model.weights().master()).hasSize(5 * 2 * 2 + 1);
        // B starts at zero, so at the first step only B and the head (not A) receive a non-zero gradient
        model.weights().master().forEach((name, weight) -> {
            double norm = weight.grad().abs().sum().item_double();
            if (name.contains("lora_A")) {
                assertThat(norm).as(name).isZero();
            } else {
                assertThat(norm).as(name).isGreaterThan(0.0);
            }
        });
    }

    @Test
    void theDpoReferenceGetsNoGradientWhileThePolicyDoes() {
        LoadedModel reference = stories();
        LoadedModel policyBase = stories();
        FineTunedModel policy = FineTunedModel.full(policyBase.model(), Precision.FP32, null);
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, reference.tokenizer()), 128);
        List<List<EncodedExample>> rows = List.of(List.of(encoder.encode(GOOD, 0)), List.of(encoder.encode(BAD, 0)));
        SequenceBatch batch = SequenceBatch.of(rows, BaseModels.padId(reference.tokenizer()), false, Tensors.defaultDevice());

        Tensor referenceLogProbs;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            referenceLogProbs = TokenLoss.sequenceLogProbs(reference.model(), batch);
        }
        Tensor policyLogProbs = TokenLoss.sequenceLogProbs(policy.model(), batch);
        Tensor chosen = Tensors.longs(new long[] {0}, Tensors.defaultDevice(), 1);
        Tensor rejected = Tensors.longs(new long[] {1}, Tensors.defaultDevice(), 1);
        DpoLoss.of(policyLogProbs.index_select(0, chosen), policyLogProbs.index_select(0, rejected),
                referenceLogProbs.index_select(0, chosen), referenceLogProbs.index_select(0, rejected), 0.1).sum().backward();

        assertThat(referenceLogProbs.requires_grad()).isFalse();
        reference.model().weights().forEach((name, weight) -> assertThat(weight.grad().defined()).as(name).isFalse());
        assertThat(policy.weights().master().values()).allMatch(w -> w.grad().defined());
        assertThat(policy.weights().master().get("model.layers.0.self_attn.q_proj.weight").grad().abs().sum().item_double()).isGreaterThan(0);
    }
}
