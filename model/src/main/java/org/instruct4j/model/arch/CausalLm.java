package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.tensor.Precision;

/** A decoder-only language model: token ids in, next-token logits out. */
public interface CausalLm {

    /**
     * Runs the model on {@code inputIds} [batch, steps] (long) at {@code positions} [batch, steps] (long).
     * {@code keyMask} [batch, cached + steps] (bool) marks the cache slots and new tokens that may be attended
     * to (false for left padding); null means all. With a cache, the new keys and values are appended to it.
     * Returns logits [batch, steps, vocab], or [batch, 1, vocab] for the last step only.
     */
    Tensor forward(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly);

    /**
     * The same pass without the output head: the final hidden states [batch, steps, hidden] (or [batch, 1,
     * hidden]), which a reward model or classifier puts its own head on.
     */
    Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly);

    /**
     * The training pass over whole sequences (no cache), where a row may pack several examples:
     * {@code segments} [batch, steps] (long) numbers them, and a token attends only to earlier tokens of its own
     * segment (block-diagonal causal attention); {@code positions} restart at 0 with each segment. Null
     * segments: one causal sequence per row (right padding needs no mask, as no real token comes after it).
     * Returns the final hidden states [batch, steps, hidden].
     */
    Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor segments);

    /**
     * The output head: logits [..., vocab] for hidden states [..., hidden]. A backbone loaded without its head
     * (a sequence-classification checkpoint) throws {@link IllegalStateException}.
     */
    Tensor logits(Tensor hiddenStates);

    /** The linear layers by Hugging Face module name (model.layers.0.self_attn.q_proj), where LoRA attaches. */
    Map<String, Projection> projections();

    /** The same architecture and configuration over other tensors (another dtype, merged or updated weights). */
    CausalLm withWeights(Map<String, Tensor> weights);

    /** An empty cache for {@code batch} rows of up to {@code capacity} positions. */
    KvCache newCache(long batch, long capacity);

    /** The parameters by their Hugging Face names (lm_head.weight left out when it is tied). */
    Map<String, Tensor> weights();

    /** The configuration that describes this model (what the CPU engine builds the same architecture from). */
    ArchitectureConfig config();

    /** The config.json that describes this model. */
    ObjectNode configJson();

    int vocabSize();

    /** Width of the hidden states {@link #hiddenStates} returns (OPT's word_embed_proj_dim, Llama's hidden_size). */
    int hiddenSize();

    /** The longest sequence the model was trained for. */
    int maxPositions();

    Precision precision();

    Device device();
}
