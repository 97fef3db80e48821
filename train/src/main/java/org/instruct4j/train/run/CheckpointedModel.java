package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.instruct4j.model.arch.ArchitectureConfig;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.DropoutMasks;
import org.instruct4j.model.arch.KvCache;
import org.instruct4j.model.arch.LayeredPass;
import org.instruct4j.model.arch.Projection;
import org.instruct4j.model.tensor.Precision;

/**
 * A model trained with activation checkpointing: its training pass keeps each decoder layer's input but none of the
 * activations inside the layer, and recomputes every layer in the backward pass. Activation memory falls from all
 * layers' to one layer's plus the layer inputs, for about one more forward pass of compute. libtorch's C++ API has no
 * torch.utils.checkpoint, so the backward pass through the layers is driven from here ({@link #backward}), in the way
 * of its reentrant variant.
 *
 * <p>The training pass runs the embeddings with gradients (their graph keeps only the token ids), the layers without,
 * and the final norm with gradients on the last layer's output made a leaf; the loss's backward pass stops at that leaf.
 * {@link #backward} continues it from the last layer to the first: the layer runs again, with gradients, on its saved
 * input, and the gradient that reached its output is backpropagated through it, which accumulates its parameters'
 * gradients (LoRA adapters included) and gives the gradient of its input for the layer before. Each layer runs in its
 * own PointerScope, so no Java handle keeps its temporaries alive. LoRA dropout draws the same masks again: the state
 * of the generator the masks come from ({@link DropoutMasks}) before each layer is kept and restored for its recomputation, and the state the forward passes
 * ended in is restored afterwards, so every later draw is the plain path's. Outside training (gradients off:
 * evaluation, DPO's reference log-probabilities) this is the plain model.
 */
public final class CheckpointedModel implements CausalLm {
    private final CausalLm model;
    private final Deque<Pass> pending = new ArrayDeque<>();

    /** One training pass waiting for its backward pass through the layers. */
    private record Pass(LayeredPass layers, Tensor[] inputs, Tensor[] generatorStates, Tensor lastOutput, PointerScope scope) {}

    public CheckpointedModel(CausalLm model) {
        this.model = model;
    }

    /**
     * The training pass, keeping only the layer inputs when gradients are on. It must run inside a PointerScope (a
     * micro-batch's), which holds the layer inputs until {@link #backward}.
     */
    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor segments) {
        if (!GradMode.is_enabled()) {
            return model.hiddenStates(inputIds, positions, segments);
        }
        PointerScope scope = PointerScope.getInnerScope();
        if (scope == null) {
            throw new IllegalStateException("a checkpointed training pass must run inside a PointerScope");
        }
        Generator generator = DropoutMasks.generator();
        LayeredPass layers = model.layeredPass(inputIds, positions, segments);
        Tensor[] inputs = new Tensor[layers.layerCount()];
        Tensor[] generatorStates = new Tensor[inputs.length];
        Tensor x = layers.embed();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = x;
                generatorStates[i] = generator.get_state();
                try (PointerScope layer = new PointerScope()) {
                    x = layers.layer(i, x);
                    scope.attach(x);
                }
            }
        }
        x.requires_grad_(true);
        pending.push(new Pass(layers, inputs, generatorStates, x, scope));
        return layers.finish(x);
    }

    /**
     * Continues the backward pass of every training pass since the last call through its layers, once the loss's
     * backward pass has reached their last outputs.
     */
    public void backward() {
        Generator generator = DropoutMasks.generator();
        Tensor afterForward = generator.get_state();
        while (!pending.isEmpty()) {
            backward(pending.pop(), generator);
        }
        generator.set_state(afterForward);
    }

    private static void backward(Pass pass, Generator generator) {
        Tensor grad = pass.lastOutput().grad();
        if (!grad.defined()) {
            return; // the loss did not depend on this pass
        }
        for (int i = pass.inputs().length - 1; i >= 0; i--) {
            Tensor outputGrad = grad;
            try (PointerScope layer = new PointerScope()) {
                generator.set_state(pass.generatorStates()[i]);
                Tensor input = pass.inputs()[i].detach().requires_grad_(true);
                pass.layers().layer(i, input).backward(outputGrad, new BoolOptional(false), false, new TensorArrayRefOptional());
                grad = new Tensor(input.grad());
                pass.scope().attach(grad);
            }
            // what is done with is freed now rather than with the micro-batch: the peak stays one layer's
            if (i < pass.inputs().length - 1) {
                pass.scope().detach(outputGrad);
            }
            if (i > 0) {
                pass.scope().detach(pass.inputs()[i]);
            }
        }
        Tensor embeddings = pass.inputs()[0];
        if (embeddings.requires_grad()) {
            embeddings.backward(grad, new BoolOptional(false), false, new TensorArrayRefOptional());
        }
    }

    @Override
    public LayeredPass layeredPass(Tensor inputIds, Tensor positions, Tensor segments) {
        return model.layeredPass(inputIds, positions, segments);
    }

    @Override
    public Tensor forward(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        return model.forward(inputIds, positions, keyMask, cache, lastStepOnly);
    }

    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        return model.hiddenStates(inputIds, positions, keyMask, cache, lastStepOnly);
    }

    @Override
    public Tensor logits(Tensor hiddenStates) {
        return model.logits(hiddenStates);
    }

    @Override
    public Map<String, Projection> projections() {
        return model.projections();
    }

    @Override
    public CausalLm withWeights(Map<String, Tensor> weights) {
        return model.withWeights(weights);
    }

    @Override
    public KvCache newCache(long batch, long capacity) {
        return model.newCache(batch, capacity);
    }

    @Override
    public Map<String, Tensor> weights() {
        return model.weights();
    }

    @Override
    public ArchitectureConfig config() {
        return model.config();
    }

    @Override
    public ObjectNode configJson() {
        return model.configJson();
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int hiddenSize() {
        return model.hiddenSize();
    }

    @Override
    public int maxPositions() {
        return model.maxPositions();
    }

    @Override
    public Precision precision() {
        return model.precision();
    }

    @Override
    public Device device() {
        return model.device();
    }
}
