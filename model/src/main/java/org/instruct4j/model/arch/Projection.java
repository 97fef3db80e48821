package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;

/**
 * A linear layer of an architecture, y = x W^T + b, known by its Hugging Face module name
 * ({@code model.layers.0.self_attn.q_proj}). A low-rank adapter can be attached to it (LoRA), which adds its
 * own term to the output while the weight itself stays frozen.
 */
public final class Projection {
    private final Tensor weight;
    private final Tensor bias;
    private LowRankAdapter adapter;

    Projection(Tensor weight, Tensor bias) {
        this.weight = weight;
        this.bias = bias;
    }

    Tensor apply(Tensor x) {
        Tensor y = Linear.apply(x, weight, bias);
        return adapter == null ? y : y.add(adapter.apply(x));
    }

    /** [out, in]. */
    public Tensor weight() {
        return weight;
    }

    /** Null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    public long inFeatures() {
        return weight.size(1);
    }

    public long outFeatures() {
        return weight.size(0);
    }

    /** Attaches (or with null removes) the adapter; its shapes must fit this layer. */
    public void attach(LowRankAdapter adapter) {
        if (adapter != null && (adapter.a().size(1) != inFeatures() || adapter.b().size(0) != outFeatures())) {
            throw new BadInputException("adapter A " + adapter.a().size(0) + "x" + adapter.a().size(1) + ", B "
                    + adapter.b().size(0) + "x" + adapter.b().size(1) + " does not fit a " + outFeatures() + "x"
                    + inFeatures() + " layer");
        }
        this.adapter = adapter;
    }

    /** Null when none is attached. */
    public LowRankAdapter adapter() {
        return adapter;
    }
}
