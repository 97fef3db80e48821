package org.instruct4j.train.loss;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.SequenceBatch;

/**
 * The causal language-modelling loss over response tokens. The output head runs only on the target positions
 * (prompt and padding positions carry label -100 and are skipped before the vocabulary projection, which
 * saves most of its cost), and cross-entropy is taken in fp32 and summed: the trainer divides by the number
 * of target tokens in the whole global batch, so every token weighs the same however the batch is split
 * into micro-batches. The same per-token cross-entropy summed per row is a response's log-probability, which
 * DPO compares between policy and reference.
 */
public final class TokenLoss {
    private static final long NONE = 0;

    private TokenLoss() {}

    /** The summed cross-entropy of the batch's targets. */
    public static Tensor sum(CausalLm model, SequenceBatch batch) {
        return sumOverHidden(model, model.hiddenStates(batch.inputIds(), batch.positions(), batch.segments()), batch);
    }

    /**
     * The same from hidden states [rows, steps, hidden] already computed. The head runs on a chunk of target rows at
     * a time ({@link ChunkedCrossEntropy}), so the fp32 logits of the whole batch never exist at once.
     */
    public static Tensor sumOverHidden(CausalLm model, Tensor hidden, SequenceBatch batch) {
        return sumOverHidden(model, hidden, batch, Math.max(1, ChunkedCrossEntropy.LOGITS_PER_CHUNK / model.vocabSize()));
    }

    /** The same in chunks of {@code chunkRows} target rows. */
    public static Tensor sumOverHidden(CausalLm model, Tensor hidden, SequenceBatch batch, long chunkRows) {
        Tensor flat = hidden.reshape(-1, hidden.size(-1)).index_select(0, batch.targetIndex());
        return ChunkedCrossEntropy.sum(model, flat, batch.targetIds(), chunkRows);
    }

    /**
     * log p(response | prompt) of every row [rows] (fp32): the log-probabilities of its target tokens (response and
     * EOS), summed. The batch must hold one example per row (no packing).
     */
    public static Tensor sequenceLogProbs(CausalLm model, SequenceBatch batch) {
        Tensor hidden = model.hiddenStates(batch.inputIds(), batch.positions(), batch.segments());
        Tensor perToken = torch.cross_entropy_loss(targetLogits(model, hidden, batch), batch.targetIds(), new TensorOptional(),
                NONE, EncodedExample.IGNORE, 0.0).neg();
        return perToken.new_zeros(new long[] {batch.inputIds().size(0)}, new TensorOptions(ScalarType.Float))
                .index_add(0, batch.targetRows(), perToken);
    }

    private static Tensor targetLogits(CausalLm model, Tensor hidden, SequenceBatch batch) {
        Tensor flat = hidden.reshape(-1, hidden.size(-1));
        return model.logits(flat.index_select(0, batch.targetIndex())).to(ScalarType.Float);
    }
}
