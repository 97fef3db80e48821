package org.instruct4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The preference losses against values computed by hand (log1p(exp(-x)) for -log sigmoid(x)). */
class PreferenceLossTest {

    @Test
    void pairwiseLossOverEveryPairOfThreeResponses() {
        Tensor rewards = Tensors.floats(new float[] {2.0f, 0.5f, -1.0f}, 3).requires_grad_(true);
        PairwiseLoss.Result result = PairwiseLoss.of(rewards, new long[] {0, 0, 1}, new long[] {1, 2, 2}, new float[3]);

        // -log sigmoid(1.5) + -log sigmoid(3.0) + -log sigmoid(1.5) = 0.201413 + 0.048587 + 0.201413
        assertThat(result.sum().item_double()).isCloseTo(0.4514139075, within(1e-6));
        assertThat(result.differences()).containsExactly(1.5f, 3.0f, 1.5f);
        result.sum().backward();
        // d/dr_high = -sigmoid(-d), d/dr_low = +sigmoid(-d), summed over the pairs each reward is in
        assertThat(Tensors.toFloats(rewards.grad())).usingComparatorWithPrecision(1e-6f)
                .containsExactly(-0.2298514f, 0.0f, 0.2298514f);
    }

    @Test
    void aScoreMarginIsSubtractedFromTheDifference() {
        Tensor rewards = Tensors.floats(new float[] {2.0f, 0.5f, -1.0f}, 3);
        PairwiseLoss.Result result = PairwiseLoss.of(rewards, new long[] {0, 0, 1}, new long[] {1, 2, 2}, new float[] {0, 1.0f, 0});
        // the middle pair becomes -log sigmoid(3.0 - 1.0) = 0.126928
        assertThat(result.sum().item_double()).isCloseTo(2 * 0.2014132780 + 0.1269280110, within(1e-6));
    }

    @Test
    void dpoLossAndImplicitRewards() {
        Tensor policyChosen = Tensors.floats(new float[] {-10f}, 1).requires_grad_(true);
        Tensor policyRejected = Tensors.floats(new float[] {-12f}, 1).requires_grad_(true);
        Tensor referenceChosen = Tensors.floats(new float[] {-11f}, 1);
        Tensor referenceRejected = Tensors.floats(new float[] {-11f}, 1);

        DpoLoss.Result result = DpoLoss.of(policyChosen, policyRejected, referenceChosen, referenceRejected, 0.1);

        // beta * ((-10 - -12) - (-11 - -11)) = 0.2; -log sigmoid(0.2) = 0.598139
        assertThat(result.sum().item_double()).isCloseTo(0.5981388694, within(1e-6));
        assertThat(Tensors.toFloats(result.chosenRewards())[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(Tensors.toFloats(result.rejectedRewards())[0]).isCloseTo(-0.1f, within(1e-6f));
        result.sum().backward();
        // d/d pi_chosen = -beta * sigmoid(-0.2); the reference's log-probabilities are constants and get no gradient
        assertThat(Tensors.toFloats(policyChosen.grad())[0]).isCloseTo(-0.0450166f, within(1e-6f));
        assertThat(Tensors.toFloats(policyRejected.grad())[0]).isCloseTo(0.0450166f, within(1e-6f));
        assertThat(referenceChosen.grad().defined()).isFalse();
    }

    @Test
    void atTheReferenceTheDpoLossIsLogTwoAndTheRewardsZero() {
        Tensor logProbs = Tensors.floats(new float[] {-7f, -9f}, 2);
        DpoLoss.Result result = DpoLoss.of(logProbs, logProbs, logProbs, logProbs, 0.5);
        assertThat(result.sum().item_double()).isCloseTo(2 * Math.log(2), within(1e-6));
        assertThat(Tensors.toFloats(result.chosenRewards())).containsExactly(0f, 0f);
    }
}
