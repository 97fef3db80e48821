package org.instruct4j.train.loss;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;

/**
 * The reward model's ranking loss (InstructGPT; GPT-4-LLM section 4): for every pair of responses to one prompt,
 * -log sigmoid(r_high - r_low - margin), summed over the pairs (the trainer divides by the pairs of the whole
 * step). The margin, when given, grows with the gap between the two scores (Llama 2's margin loss), so pairs
 * the teacher told apart more clearly are pushed further apart.
 */
public final class PairwiseLoss {
    private PairwiseLoss() {}

    /** The loss and, per pair, r_high - r_low (detached), for accuracy and margins. */
    public record Result(Tensor sum, float[] differences) {}

    /**
     * {@code rewards} [responses] (fp32); pair i compares response {@code higher[i]} with {@code lower[i]};
     * {@code margins[i]} is subtracted from its difference (all zeros for the plain loss).
     */
    public static Result of(Tensor rewards, long[] higher, long[] lower, float[] margins) {
        int n = higher.length;
        Tensor h = rewards.index_select(0, Tensors.longs(higher, rewards.device(), n));
        Tensor l = rewards.index_select(0, Tensors.longs(lower, rewards.device(), n));
        Tensor difference = h.sub(l);
        Tensor margin = Tensors.floats(margins, n).to(rewards.device(), rewards.scalar_type());
        Tensor loss = torch.log_sigmoid(difference.sub(margin)).neg().sum();
        return new Result(loss, Tensors.toFloats(difference.detach()));
    }
}
