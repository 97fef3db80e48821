package org.instruct4j.train.loss;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.data.EncodedExample;

/**
 * The summed cross-entropy of the output head over some hidden states, a chunk of rows at a time, without ever
 * holding the fp32 logits of the whole batch (Liger Kernel's fused linear cross-entropy, done with libtorch's own
 * ops). Each chunk's logits are computed, turned into its loss and, when gradients are on, at once into its
 * gradients with respect to its hidden states and the head's weights (the gradient of the logits is written out,
 * softmax minus one-hot, one softmax over the chunk's logits in their own dtype whose target column also gives the
 * loss: two passes over the logits where log_softmax, nll_loss and their backward take several, and no fp32 copy of
 * bf16 logits); then the chunk's logits are freed. What is
 * returned has the summed loss as its value and, as its gradient, exactly those precomputed gradients: it is
 * {@code loss + g_h . h + g_W . W - (the same, detached)}, whose derivative in h is g_h and in W is g_W. A vocabulary
 * of 32,000 and 4,096 target rows would otherwise hold 0.5 GB of fp32 logits and as much again for their gradient.
 */
final class ChunkedCrossEntropy {
    /** Logits per chunk: 8M fp32 values, 32 MB. */
    static final long LOGITS_PER_CHUNK = 1L << 23;
    private static final long SUM = 2;
    /** Below this a target's probability is taken from fp32 logits (bf16 and fp32 have normal numbers down to 1e-38). */
    private static final double SMALLEST_PROBABILITY = 1e-30;
    private static final ScalarTypeOptional FLOAT = Tensors.keep(new ScalarTypeOptional(ScalarType.Float));
    private static final Scalar ONE = Tensors.keep(new Scalar(1.0));

    private ChunkedCrossEntropy() {}

    /** The summed loss of {@code targets} [rows] given {@code hidden} [rows, width], in chunks of {@code chunkRows}. */
    static Tensor sum(CausalLm model, Tensor hidden, Tensor targets, long chunkRows) {
        long rows = hidden.size(0);
        if (!GradMode.is_enabled() || !hidden.requires_grad()) {
            double loss = 0;
            for (long start = 0; start < rows; start += chunkRows) {
                try (PointerScope scope = new PointerScope()) {
                    long n = Math.min(chunkRows, rows - start);
                    loss += chunkLoss(model, hidden.narrow(0, start, n), targets.narrow(0, start, n)).item_double();
                }
            }
            return torch.scalar_tensor(new Scalar(loss), new TensorOptions(ScalarType.Float).device(new DeviceOptional(hidden.device())));
        }
        List<Tensor> weights = model.weights().values().stream().filter(Tensor::requires_grad).toList();
        Tensor detached = hidden.detach();
        Tensor hiddenGrad = torch.empty_like(detached);
        Tensor[] weightGrads = new Tensor[weights.size()];
        double loss = 0;
        for (long start = 0; start < rows; start += chunkRows) {
            try (PointerScope scope = new PointerScope()) {
                long n = Math.min(chunkRows, rows - start);
                Tensor h = detached.narrow(0, start, n).detach().requires_grad_(true);
                Tensor logits = model.logits(h);
                Tensor logitsGrad;
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    Tensor target = targets.narrow(0, start, n).unsqueeze(1);
                    // d loss / d logits = softmax(logits) - one_hot(target), in the logits' own dtype: libtorch's softmax
                    // kernel accumulates a bf16 row in fp32 and rounds once, as rounding an fp32 softmax would
                    Tensor probabilities = logits.softmax(1);
                    Tensor targetProbability = probabilities.gather(1, target).to(ScalarType.Float);
                    loss += targetLoss(logits, target, targetProbability);
                    probabilities.scatter_(1, target, targetProbability.sub(ONE).to(logits.scalar_type()));
                    logitsGrad = probabilities;
                }
                List<Tensor> inputs = new ArrayList<>(weights.size() + 1);
                inputs.add(h);
                inputs.addAll(weights);
                TensorVector grads = torch.grad(new TensorVector(logits), new TensorVector(inputs.toArray(Tensor[]::new)),
                        new TensorVector(logitsGrad), new BoolOptional(false), false, true);
                hiddenGrad.narrow(0, start, n).copy_(grads.get(0));
                for (int i = 0; i < weights.size(); i++) {
                    Tensor g = grads.get(i + 1);
                    if (!g.defined()) {
                        continue;
                    }
                    if (weightGrads[i] == null) {
                        weightGrads[i] = g.to(ScalarType.Float);
                        weightGrads[i].retainReference(); // outlives this chunk's scope, released below
                    } else {
                        weightGrads[i].add_(g);
                    }
                }
                // get() returns references into the vector: it must not be collected while they are in use
                Reference.reachabilityFence(grads);
            }
        }
        Tensor dot = hidden.mul(hiddenGrad).sum(FLOAT);
        for (int i = 0; i < weights.size(); i++) {
            if (weightGrads[i] != null) {
                Tensor w = weights.get(i);
                dot = dot.add(w.mul(weightGrads[i].to(w.scalar_type())).sum(FLOAT));
                weightGrads[i].releaseReference();
            }
        }
        return dot.sub(dot.detach()).add(new Scalar(loss));
    }

    /**
     * The summed cross-entropy -log p(target) of a chunk's rows from their target probabilities (fp32, taken from the
     * softmax the gradient needs anyway, so no fp32 copy of the logits is made). In bf16 a probability carries bf16's 8
     * significant bits, so each token's loss is within 2^-8 of the exact one (the rounding errors average out over the
     * chunk); in fp32 it is exact to fp32. A probability too small for the dtype (a loss above ~80 nats, a diverged
     * model) sends the chunk through the exact fp32 form instead.
     */
    private static double targetLoss(Tensor logits, Tensor target, Tensor targetProbability) {
        if (targetProbability.min().item_double() >= SMALLEST_PROBABILITY) {
            return -targetProbability.log().sum().item_double();
        }
        Tensor fp32 = logits.to(ScalarType.Float);
        return fp32.logsumexp(new long[] {1}, true).sum().item_double() - fp32.gather(1, target).sum().item_double();
    }

    /** The summed fp32 cross-entropy of one chunk's targets. */
    private static Tensor chunkLoss(CausalLm model, Tensor hidden, Tensor targets) {
        return torch.cross_entropy_loss(model.logits(hidden).to(ScalarType.Float), targets, new TensorOptional(), SUM,
                EncodedExample.IGNORE, 0.0);
    }
}
