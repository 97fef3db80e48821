package org.instruct4j.train.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.optim.AdamW;

/**
 * The parameters being trained, in two copies when computing in bf16: fp32 master weights, which the optimizer
 * updates and which hold the accumulated gradients, and the working copies the model computes with. After each
 * micro-batch the working gradients are added to the master gradients in fp32 (so accumulating many
 * micro-batches loses no precision) and after each optimizer step the masters are copied back. In fp32 the two
 * copies are the same tensors and both operations do nothing.
 *
 * <p>No gradient is ever zeroed in place: after an update the working gradients are dropped (autograd then writes the
 * next ones into fresh tensors instead of adding them to zeros), and the first micro-batch of a step overwrites the
 * master gradients rather than adding to zeroed ones, which saves two passes over every weight per step.
 */
public final class TrainableWeights {
    private final Map<String, Tensor> master = new LinkedHashMap<>();
    private final Map<String, Tensor> working;
    private final boolean separate;
    /** Whether the master gradients still hold the last step's (the next micro-batch overwrites them). */
    private boolean stale = true;

    /**
     * {@code working}: the model's trainable tensors by name (fp32 or bf16); {@code masters}: the same weights in
     * fp32 (the very same tensors when computing in fp32). Both are made to require gradients here.
     */
    public TrainableWeights(Map<String, Tensor> working, Map<String, Tensor> masters) {
        this.working = new LinkedHashMap<>(working);
        this.separate = working.values().stream().anyMatch(t -> t.scalar_type().intern() != ScalarType.Float);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : working.entrySet()) {
                Tensor m = masters.get(entry.getKey());
                if (m == null || m.scalar_type().intern() != ScalarType.Float) {
                    throw new IllegalStateException("no fp32 master weight for " + entry.getKey());
                }
                entry.getValue().requires_grad_(true);
                m.requires_grad_(true);
                m.mutable_grad().put(Tensors.keep(torch.zeros_like(m)));
                master.put(entry.getKey(), m);
            }
        }
    }

    /** The fp32 tensors the optimizer updates, by name, in a fixed order. */
    public Map<String, Tensor> master() {
        return master;
    }

    /** The tensors the model computes with, by name, in the order of {@link #master}. */
    public Map<String, Tensor> working() {
        return working;
    }

    /**
     * The fp32 gradient of {@code name} accumulated over this step's earlier micro-batches, or null when there is
     * none yet (the step's first micro-batch). Read during a backward pass it does not yet include that pass.
     */
    public Tensor accumulatedGradient(String name) {
        Tensor grad = master.get(name).grad();
        if (separate) {
            return stale ? null : grad;
        }
        return grad.defined() ? grad : null;
    }

    /** Replaces the accumulated gradient of {@code name} with {@code value} (fp32), e.g. the sum over every process. */
    public void replaceGradient(String name, Tensor value) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor m = master.get(name);
            Tensor grad = m.grad();
            if (grad.defined()) {
                grad.copy_(value);
            } else {
                m.mutable_grad().put(value.clone()); // the grad holds its own reference; the scope frees the Java handle
            }
        }
        if (separate) {
            stale = false;
        }
    }

    /** Adds the working gradients of the last backward pass to the fp32 master gradients and drops them. */
    public void accumulateGradients() {
        if (!separate) {
            return;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : working.entrySet()) {
                addToMaster(entry.getKey(), entry.getValue().grad());
                entry.getValue().mutable_grad().reset();
            }
            stale = false;
        }
    }

    /**
     * Adds one micro-batch's gradients, computed apart from the weights' own {@code grad} (for the {@link #working}
     * tensors, in their order; an undefined tensor where a weight got none), to the accumulated fp32 gradients.
     */
    public void accumulate(List<Tensor> gradients) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            int i = 0;
            for (String name : working.keySet()) {
                addToMaster(name, gradients.get(i++));
            }
            stale = false;
        }
    }

    /** The step's first micro-batch's gradient becomes the master gradient, later ones are added to it. */
    private void addToMaster(String name, Tensor grad) {
        Tensor m = master.get(name);
        Tensor sum = m.grad();
        if (!grad.defined()) {
            if (separate && stale) {
                sum.zero_();
            }
        } else if (!sum.defined()) { // fp32, the masters computing themselves: the step's first gradient
            m.mutable_grad().put(grad.clone()); // the grad holds its own reference; the scope frees the Java handle
        } else if (separate && stale) {
            sum.copy_(grad);
        } else {
            sum.add_(grad);
        }
    }

    /**
     * The end of an optimizer step: clips the accumulated gradients to {@code maxGradNorm}, lets {@code optimizer}
     * update the masters at {@code lr}, zeroes the gradients and publishes the new weights. Returns the gradient
     * norm before clipping.
     */
    public double update(AdamW optimizer, double lr, double maxGradNorm) {
        double norm;
        try (PointerScope scope = new PointerScope()) {
            norm = optimizer.step(lr, maxGradNorm);
            if (separate) {
                stale = true;
            } else {
                optimizer.dropGradients();
            }
        }
        publish();
        return norm;
    }

    /** Makes the working copies equal to the (updated or restored) master weights. */
    public void publish() {
        if (!separate) {
            return;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : working.entrySet()) {
                entry.getValue().copy_(master.get(entry.getKey()));
            }
        }
    }

    /** Overwrites the master weights with {@code values} (a checkpoint) and publishes them. */
    public void restore(Map<String, Tensor> values, String source) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : master.entrySet()) {
                Tensor value = values.get(entry.getKey());
                if (value == null) {
                    throw new IllegalStateException(source + ": checkpoint lacks tensor '" + entry.getKey() + "'");
                }
                entry.getValue().copy_(value);
            }
        }
        publish();
    }

    /** The number of trained scalars. */
    public long parameterCount() {
        return master.values().stream().mapToLong(Tensor::numel).sum();
    }
}
