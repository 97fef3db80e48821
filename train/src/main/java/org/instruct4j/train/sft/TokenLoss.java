package org.instruct4j.train.sft;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.train.data.EncodedExample;

/**
 * The causal language-modelling loss over response tokens. The output head runs only on the target positions
 * (prompt and padding positions carry label -100 and are skipped before the vocabulary projection, which
 * saves most of its cost), and cross-entropy is taken in fp32 and summed: the trainer divides by the number
 * of target tokens in the whole global batch, so every token weighs the same however the batch is split
 * into micro-batches.
 */
final class TokenLoss {
    private static final long SUM = 2;

    private TokenLoss() {}

    /** The summed cross-entropy of the batch's targets. */
    static Tensor sum(CausalLm model, SequenceBatch batch) {
        return sumOverHidden(model, model.hiddenStates(batch.inputIds(), batch.positions(), batch.segments()), batch);
    }

    /** The same from hidden states [rows, steps, hidden] already computed. */
    static Tensor sumOverHidden(CausalLm model, Tensor hidden, SequenceBatch batch) {
        Tensor flat = hidden.reshape(-1, hidden.size(-1));
        Tensor logits = model.logits(flat.index_select(0, batch.targetIndex())).to(ScalarType.Float);
        return torch.cross_entropy_loss(logits, batch.targetIds(), new TensorOptional(), SUM, EncodedExample.IGNORE, 0.0);
    }
}
