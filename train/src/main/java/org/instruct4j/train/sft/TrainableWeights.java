package org.instruct4j.train.sft;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;

/**
 * The parameters being trained, in two copies when computing in bf16: fp32 master weights, which the optimizer
 * updates and which hold the accumulated gradients, and the working copies the model computes with. After each
 * micro-batch the working gradients are added to the master gradients in fp32 (so accumulating many
 * micro-batches loses no precision) and after each optimizer step the masters are copied back. In fp32 the two
 * copies are the same tensors and both operations do nothing.
 */
final class TrainableWeights {
    private final Map<String, Tensor> master = new LinkedHashMap<>();
    private final Map<String, Tensor> working;
    private final boolean separate;

    /**
     * {@code working}: the model's trainable tensors by name (fp32 or bf16); {@code masters}: the same weights in
     * fp32 (the very same tensors when computing in fp32). Both are made to require gradients here.
     */
    TrainableWeights(Map<String, Tensor> working, Map<String, Tensor> masters) {
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
    Map<String, Tensor> master() {
        return master;
    }

    void accumulateGradients() {
        if (!separate) {
            return;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : working.entrySet()) {
                Tensor grad = entry.getValue().grad();
                if (grad.defined()) {
                    master.get(entry.getKey()).grad().add_(grad.to(ScalarType.Float));
                    grad.zero_();
                }
            }
        }
    }

    /** Makes the working copies equal to the (updated or restored) master weights. */
    void publish() {
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
    void restore(Map<String, Tensor> values, String source) {
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
    long parameterCount() {
        return master.values().stream().mapToLong(Tensor::numel).sum();
    }
}
