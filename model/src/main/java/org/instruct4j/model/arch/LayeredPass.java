package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Tensor;

/**
 * The training pass of {@link CausalLm#hiddenStates(Tensor, Tensor, Tensor)} cut at its layer boundaries:
 * {@code hiddenStates = finish(layer(n-1, ... layer(1, layer(0, embed()))))}. A trainer that does not keep every
 * layer's activations (activation checkpointing) runs the layers itself and runs each one again in the backward pass,
 * so a layer must compute the same function each time it is called (its dropout aside, which follows the generator).
 */
public interface LayeredPass {
    /** The token (and position) embeddings the first layer reads, [batch, steps, hidden]. */
    Tensor embed();

    int layerCount();

    /** Decoder layer {@code index} applied to {@code x} [batch, steps, hidden] (its residual stream). */
    Tensor layer(int index, Tensor x);

    /** The final normalisation (and projection) of the last layer's output: the hidden states. */
    Tensor finish(Tensor x);
}
