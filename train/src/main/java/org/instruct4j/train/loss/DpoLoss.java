package org.instruct4j.train.loss;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Direct Preference Optimization (Rafailov et al., 2023), the sigmoid loss as TRL computes it: with the policy's
 * and the frozen reference's log-probabilities of the chosen and rejected responses,
 * <pre>
 * loss = -log sigmoid(beta * ((pi_chosen - pi_rejected) - (ref_chosen - ref_rejected)))
 * </pre>
 * summed over the pairs. The implicit rewards beta * (pi - ref) of the chosen and rejected responses are what the
 * run logs: their difference is the margin, and the reward accuracy is how often the chosen one is higher.
 */
public final class DpoLoss {
    private DpoLoss() {}

    /** The summed loss, and per pair the implicit rewards (detached) of the chosen and rejected response. */
    public record Result(Tensor sum, Tensor chosenRewards, Tensor rejectedRewards) {}

    /** All arguments are [pairs], fp32; the reference's log-probabilities carry no gradient. */
    public static Result of(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected,
                            double beta) {
        Tensor chosenRatio = policyChosen.sub(referenceChosen);
        Tensor rejectedRatio = policyRejected.sub(referenceRejected);
        Tensor logits = chosenRatio.sub(rejectedRatio).mul(new Scalar(beta));
        Tensor loss = torch.log_sigmoid(logits).neg().sum();
        return new Result(loss, chosenRatio.detach().mul(new Scalar(beta)), rejectedRatio.detach().mul(new Scalar(beta)));
    }
}
