package org.instruct4j.model.arch;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * The training pass of {@link CausalLm#hiddenStates(Tensor, Tensor, Tensor)} cut at its layer boundaries:
 * {@code hiddenStates = finish(layer(n-1, ... layer(1, layer(0, embed()))))}. A trainer that does not keep every
 * layer's activations (activation checkpointing) runs the layers itself and runs each one again in the backward pass,
 * so a layer must compute the same function each time it is called (its dropout aside, which follows the generator).
 *
 * @param embedding the token (and position) embeddings the first layer reads, [batch, steps, hidden]
 * @param layerCount the number of decoder layers
 * @param layers decoder layer {@code index} applied to {@code x} [batch, steps, hidden] (its residual stream)
 * @param finalNorm the final normalisation (and projection) of the last layer's output: the hidden states
 */
public record LayeredPass(Supplier<Tensor> embedding, int layerCount, Layer layers, UnaryOperator<Tensor> finalNorm) {

    /** One decoder layer of the pass. */
    @FunctionalInterface
    public interface Layer {
        Tensor apply(int index, Tensor x);
    }

    public Tensor embed() {
        return embedding.get();
    }

    public Tensor layer(int index, Tensor x) {
        return layers.apply(index, x);
    }

    public Tensor finish(Tensor x) {
        return finalNorm.apply(x);
    }
}
